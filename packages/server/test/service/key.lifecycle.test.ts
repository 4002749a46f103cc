import { KEY_SPEC_NAMES, KEY_USAGES, keySpec } from '@custos/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelKeyDeletion,
  createAlias,
  createKey,
  decrypt,
  describeKey,
  disableKey,
  enableKey,
  encrypt,
  generateDataKey,
  getPublicKey,
  listAliases,
  runDueWork,
  scheduleKeyDeletion,
  setKeyRotation,
  tagKey,
  updateKeyDescription,
} from '../../src/service/index.js';
import { errorCode, makeKms, type KmsHarness } from '../support/kms-harness.js';

const DAY = 86_400_000;
const plaintext = Buffer.from('lifecycle');

let h: KmsHarness;
beforeAll(async () => {
  h = await makeKms();
});
afterAll(async () => {
  await h.close();
});

async function storedKeyCount(): Promise<number> {
  return (await h.store.listKeys({}, { limit: 1000 })).items.length;
}

function manyTags(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`tag-${String(i)}`, 'v']));
}

describe('create', () => {
  it.each([...KEY_SPEC_NAMES])('creates a %s key with its default usage', async (name) => {
    const spec = keySpec(name);
    const view = await createKey(h.ctx, { spec: name });
    expect(view).toMatchObject({
      spec: name,
      usage: spec.defaultUsage,
      origin: 'CUSTOS',
      state: 'Enabled',
      primaryVersion: 1,
      minDecryptionVersion: 1,
      description: '',
      tags: {},
      aliases: [],
      deletionDate: null,
      rotationPeriodDays: null,
      nextRotationAt: null,
      createdAt: h.clock.now(),
    });
    expect(view.versions).toEqual([
      { version: 1, state: 'Enabled', createdAt: h.clock.now(), primary: true, usageCount: 0 },
    ]);
    expect(await describeKey(h.ctx, { keyId: view.keyId })).toEqual(view);
    const stored = await h.store.getVersions(view.keyId);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.wrappedMaterial).not.toBeNull();
    expect(stored[0]?.publicKey === null).toBe(spec.symmetric);
    if (!spec.symmetric) {
      const pub = await getPublicKey(h.ctx, { keyId: view.keyId });
      expect(pub.publicKey.equals(stored[0]?.publicKey ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it('creates an RSA key for signing as well', async () => {
    const view = await createKey(h.ctx, { spec: 'RSA_2048', usage: 'SIGN_VERIFY' });
    expect(view.usage).toBe('SIGN_VERIFY');
    expect(view.signingAlgorithms).toEqual(keySpec('RSA_2048').signingAlgorithms);
    expect(view.encryptionAlgorithms).toEqual([]);
  });

  it('defaults to an AES_256 encryption key', async () => {
    const view = await createKey(h.ctx, {});
    expect(view.spec).toBe('AES_256');
    expect(view.usage).toBe('ENCRYPT_DECRYPT');
    expect(view.encryptionAlgorithms).toEqual(['SYMMETRIC_DEFAULT']);
  });

  const invalid = KEY_SPEC_NAMES.flatMap((name) =>
    KEY_USAGES.filter((u) => !keySpec(name).usages.includes(u)).map((usage) => ({ name, usage })),
  );
  it.each(invalid)('refuses usage $usage for $name (INVALID_INPUT)', async ({ name, usage }) => {
    const before = await storedKeyCount();
    expect(await errorCode(createKey(h.ctx, { spec: name, usage }))).toBe('INVALID_INPUT');
    expect(await storedKeyCount()).toBe(before);
  });

  it('refuses unknown specs, usages and origins', async () => {
    expect(await errorCode(createKey(h.ctx, { spec: 'AES_192' }))).toBe('INVALID_INPUT');
    expect(await errorCode(createKey(h.ctx, { usage: 'WRAP_UNWRAP' }))).toBe('INVALID_INPUT');
    expect(await errorCode(createKey(h.ctx, { origin: 'HSM' }))).toBe('INVALID_INPUT');
  });
});

describe('enable and disable', () => {
  it('disables and enables, each idempotently', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const { ciphertext } = await encrypt(h.ctx, { keyId, plaintext });

    expect((await disableKey(h.ctx, { keyId })).state).toBe('Disabled');
    const disabled = await h.store.getKey(keyId);
    expect((await disableKey(h.ctx, { keyId })).state).toBe('Disabled');
    expect(await h.store.getKey(keyId)).toEqual(disabled);
    expect(await errorCode(encrypt(h.ctx, { keyId, plaintext }))).toBe('KEY_DISABLED');
    expect(await errorCode(decrypt(h.ctx, { ciphertext }))).toBe('KEY_DISABLED');

    expect((await enableKey(h.ctx, { keyId })).state).toBe('Enabled');
    const enabled = await h.store.getKey(keyId);
    expect((await enableKey(h.ctx, { keyId })).state).toBe('Enabled');
    expect(await h.store.getKey(keyId)).toEqual(enabled);
    expect((await decrypt(h.ctx, { ciphertext })).plaintext.bytes).toEqual(plaintext);
  });

  it('records when the key changed', async () => {
    const created = await createKey(h.ctx, {});
    h.clock.advance(60_000);
    const disabled = await disableKey(h.ctx, { keyId: created.keyId });
    expect(disabled.createdAt).toEqual(created.createdAt);
    expect(disabled.updatedAt).toEqual(h.clock.now());
  });
});

describe('scheduled deletion', () => {
  it('defaults to a 30-day waiting period', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const view = await scheduleKeyDeletion(h.ctx, { keyId });
    expect(view.state).toBe('PendingDeletion');
    expect(view.deletionDate).toEqual(new Date(h.clock.now().getTime() + 30 * DAY));
  });

  it.each([7, 30])('accepts a %i-day waiting period', async (days) => {
    const { keyId } = await createKey(h.ctx, {});
    const view = await scheduleKeyDeletion(h.ctx, { keyId, pendingWindowDays: days });
    expect(view.deletionDate).toEqual(new Date(h.clock.now().getTime() + days * DAY));
  });

  it.each([6, 31, 0, -7, 7.5])('refuses a %d-day waiting period (INVALID_INPUT)', async (days) => {
    const { keyId } = await createKey(h.ctx, {});
    const before = await h.store.getKey(keyId);
    expect(await errorCode(scheduleKeyDeletion(h.ctx, { keyId, pendingWindowDays: days }))).toBe(
      'INVALID_INPUT',
    );
    expect(await h.store.getKey(keyId)).toEqual(before);
  });

  it('refuses to schedule twice (INVALID_STATE)', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const first = await scheduleKeyDeletion(h.ctx, { keyId, pendingWindowDays: 10 });
    expect(await errorCode(scheduleKeyDeletion(h.ctx, { keyId, pendingWindowDays: 20 }))).toBe(
      'INVALID_STATE',
    );
    expect((await describeKey(h.ctx, { keyId })).deletionDate).toEqual(first.deletionDate);
  });

  it('blocks use while pending, and neither enable nor disable leaves that state', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const { ciphertext } = await encrypt(h.ctx, { keyId, plaintext });
    await scheduleKeyDeletion(h.ctx, { keyId });
    expect(await errorCode(encrypt(h.ctx, { keyId, plaintext }))).toBe('KEY_PENDING_DELETION');
    expect(await errorCode(decrypt(h.ctx, { ciphertext }))).toBe('KEY_PENDING_DELETION');
    expect(await errorCode(enableKey(h.ctx, { keyId }))).toBe('INVALID_STATE');
    expect(await errorCode(disableKey(h.ctx, { keyId }))).toBe('INVALID_STATE');
  });

  it('schedules a disabled key too, and cancelling returns it Disabled', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const { ciphertext } = await encrypt(h.ctx, { keyId, plaintext });
    await scheduleKeyDeletion(h.ctx, { keyId });
    const cancelled = await cancelKeyDeletion(h.ctx, { keyId });
    expect(cancelled.state).toBe('Disabled');
    expect(cancelled.deletionDate).toBeNull();
    expect(await errorCode(decrypt(h.ctx, { ciphertext }))).toBe('KEY_DISABLED');
    await scheduleKeyDeletion(h.ctx, { keyId, pendingWindowDays: 7 });
    expect((await cancelKeyDeletion(h.ctx, { keyId })).state).toBe('Disabled');
    await enableKey(h.ctx, { keyId });
    expect((await decrypt(h.ctx, { ciphertext })).plaintext.bytes).toEqual(plaintext);
  });

  it('refuses to cancel a key that is not pending deletion (INVALID_STATE)', async () => {
    const { keyId } = await createKey(h.ctx, {});
    expect(await errorCode(cancelKeyDeletion(h.ctx, { keyId }))).toBe('INVALID_STATE');
  });
});

describe('destruction by the scheduler', () => {
  let d: KmsHarness;
  beforeAll(async () => {
    d = await makeKms();
  });
  afterAll(async () => {
    await d.close();
  });

  it('destroys a key once its waiting period has passed', async () => {
    const { keyId } = await createKey(d.ctx, { alias: 'alias/doomed' });
    await createAlias(d.ctx, { alias: 'alias/doomed-too', keyId });
    const survivor = await createKey(d.ctx, { alias: 'alias/survivor' });
    const { ciphertext } = await encrypt(d.ctx, { keyId, plaintext });
    await scheduleKeyDeletion(d.ctx, { keyId, pendingWindowDays: 7 });

    d.clock.advance(7 * DAY - 1);
    expect(await runDueWork(d.kms)).toEqual({
      rotated: 0,
      destroyed: 0,
      expired: 0,
      failed: 0,
      purgedTokens: 0,
      purgedImportTokens: 0,
    });
    expect((await describeKey(d.ctx, { keyId })).state).toBe('PendingDeletion');

    d.clock.advance(1);
    expect(await runDueWork(d.kms)).toEqual({
      rotated: 0,
      destroyed: 1,
      expired: 0,
      failed: 0,
      purgedTokens: 0,
      purgedImportTokens: 0,
    });

    const view = await describeKey(d.ctx, { keyId });
    expect(view.state).toBe('Destroyed');
    expect(view.aliases).toEqual([]);
    expect(view.versions.map((v) => v.state)).toEqual(['Destroyed']);
    for (const version of await d.store.getVersions(keyId)) {
      expect(version.wrappedMaterial).toBeNull();
    }

    expect(await errorCode(encrypt(d.ctx, { keyId, plaintext }))).toBe('NOT_FOUND');
    expect(await errorCode(decrypt(d.ctx, { ciphertext }))).toBe('NOT_FOUND');
    expect(
      await errorCode(generateDataKey(d.ctx, { keyId, keySpec: 'AES_256', withPlaintext: true })),
    ).toBe('NOT_FOUND');
    expect(await errorCode(encrypt(d.ctx, { keyId: 'alias/doomed', plaintext }))).toBe('NOT_FOUND');
    expect((await listAliases(d.ctx, {})).aliases.map((a) => a.name)).toEqual(['alias/survivor']);
    expect(await d.store.getAlias('alias/doomed')).toBeUndefined();

    // A tombstone: nothing about it changes any more.
    expect(await errorCode(enableKey(d.ctx, { keyId }))).toBe('NOT_FOUND');
    expect(await errorCode(cancelKeyDeletion(d.ctx, { keyId }))).toBe('NOT_FOUND');
    expect(await errorCode(updateKeyDescription(d.ctx, { keyId, description: 'x' }))).toBe(
      'NOT_FOUND',
    );
    expect(await errorCode(createAlias(d.ctx, { alias: 'alias/doomed', keyId }))).toBe('NOT_FOUND');
    expect(await errorCode(setKeyRotation(d.ctx, { keyId, rotationPeriodDays: 30 }))).toBe(
      'NOT_FOUND',
    );

    // The alias name is free again, and the other key is untouched.
    expect((await describeKey(d.ctx, { keyId: survivor.keyId })).state).toBe('Enabled');
    await createAlias(d.ctx, { alias: 'alias/doomed', keyId: survivor.keyId });

    expect(await runDueWork(d.kms)).toEqual({
      rotated: 0,
      destroyed: 0,
      expired: 0,
      failed: 0,
      purgedTokens: 0,
      purgedImportTokens: 0,
    });
  });

  it('does not destroy a key whose deletion was cancelled', async () => {
    const { keyId } = await createKey(d.ctx, {});
    await scheduleKeyDeletion(d.ctx, { keyId, pendingWindowDays: 7 });
    await cancelKeyDeletion(d.ctx, { keyId });
    d.clock.advance(8 * DAY);
    expect((await runDueWork(d.kms)).destroyed).toBe(0);
    expect((await describeKey(d.ctx, { keyId })).state).toBe('Disabled');
  });
});

describe('tags and description', () => {
  it('sets, overwrites and removes tags', async () => {
    const { keyId } = await createKey(h.ctx, { tags: { team: 'a', env: 'dev' } });
    expect((await tagKey(h.ctx, { keyId, set: { owner: 'x' } })).tags).toEqual({
      team: 'a',
      env: 'dev',
      owner: 'x',
    });
    expect((await tagKey(h.ctx, { keyId, set: { env: 'prod' } })).tags).toEqual({
      team: 'a',
      env: 'prod',
      owner: 'x',
    });
    expect((await tagKey(h.ctx, { keyId, remove: ['team', 'missing'] })).tags).toEqual({
      env: 'prod',
      owner: 'x',
    });
    const both = await tagKey(h.ctx, { keyId, set: { team: 'b' }, remove: ['owner'] });
    expect(both.tags).toEqual({ env: 'prod', team: 'b' });
    expect((await describeKey(h.ctx, { keyId })).tags).toEqual({ env: 'prod', team: 'b' });
    expect((await h.store.getKey(keyId))?.tags).toEqual({ env: 'prod', team: 'b' });
  });

  it('allows 50 tags and refuses 51 (LIMIT_EXCEEDED)', async () => {
    const before = await storedKeyCount();
    expect(await errorCode(createKey(h.ctx, { tags: manyTags(51) }))).toBe('LIMIT_EXCEEDED');
    expect(await storedKeyCount()).toBe(before);

    const { keyId } = await createKey(h.ctx, { tags: manyTags(50) });
    const stored = await h.store.getKey(keyId);
    expect(await errorCode(tagKey(h.ctx, { keyId, set: { one: 'more' } }))).toBe('LIMIT_EXCEEDED');
    expect(await h.store.getKey(keyId)).toEqual(stored);
    // Removing one in the same change makes room.
    const swapped = await tagKey(h.ctx, { keyId, set: { one: 'more' }, remove: ['tag-0'] });
    expect(Object.keys(swapped.tags)).toHaveLength(50);
  });

  it('refuses malformed tags (INVALID_INPUT)', async () => {
    const { keyId } = await createKey(h.ctx, {});
    expect(await errorCode(tagKey(h.ctx, { keyId, set: { '': 'v' } }))).toBe('INVALID_INPUT');
    expect(await errorCode(tagKey(h.ctx, { keyId, set: { ['k'.repeat(129)]: 'v' } }))).toBe(
      'INVALID_INPUT',
    );
    expect(await errorCode(tagKey(h.ctx, { keyId, set: { k: 'v'.repeat(257) } }))).toBe(
      'INVALID_INPUT',
    );
    expect(
      (await tagKey(h.ctx, { keyId, set: { ['k'.repeat(128)]: 'v'.repeat(256) } })).tags,
    ).toEqual({ ['k'.repeat(128)]: 'v'.repeat(256) });
  });

  it('updates the description, up to 8192 characters', async () => {
    const created = await createKey(h.ctx, { description: 'first' });
    expect(created.description).toBe('first');
    const { keyId } = created;
    expect((await updateKeyDescription(h.ctx, { keyId, description: 'second' })).description).toBe(
      'second',
    );
    const longest = 'd'.repeat(8192);
    expect((await updateKeyDescription(h.ctx, { keyId, description: longest })).description).toBe(
      longest,
    );
    const stored = await h.store.getKey(keyId);
    expect(
      await errorCode(updateKeyDescription(h.ctx, { keyId, description: `${longest}!` })),
    ).toBe('INVALID_INPUT');
    expect(await h.store.getKey(keyId)).toEqual(stored);
    expect((await updateKeyDescription(h.ctx, { keyId, description: '' })).description).toBe('');
  });

  it('refuses an 8193-character description at creation (INVALID_INPUT)', async () => {
    const before = await storedKeyCount();
    expect(await errorCode(createKey(h.ctx, { description: 'd'.repeat(8193) }))).toBe(
      'INVALID_INPUT',
    );
    expect(await storedKeyCount()).toBe(before);
  });
});
