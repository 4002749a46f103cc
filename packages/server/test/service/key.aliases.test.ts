import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAlias,
  createKey,
  decrypt,
  deleteAlias,
  describeKey,
  encrypt,
  listAliases,
  updateAlias,
} from '../../src/service/index.js';
import { errorCode, makeKms, type KmsHarness } from '../support/kms-harness.js';

const plaintext = Buffer.from('by alias');

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

async function aliasNames(keyId?: string): Promise<string[]> {
  const page = await listAliases(h.ctx, keyId === undefined ? { limit: 1000 } : { keyId });
  return page.aliases.map((a) => a.name);
}

describe('aliases', () => {
  it('creates an alias and uses the key through it', async () => {
    const { keyId } = await createKey(h.ctx, {});
    await createAlias(h.ctx, { alias: 'alias/app', keyId });
    expect((await describeKey(h.ctx, { keyId })).aliases).toEqual(['alias/app']);
    expect((await describeKey(h.ctx, { keyId: 'alias/app' })).keyId).toBe(keyId);
    expect(await aliasNames(keyId)).toEqual(['alias/app']);
    expect(await aliasNames('alias/app')).toEqual(['alias/app']);
    const stored = await h.store.getAlias('alias/app');
    expect(stored).toMatchObject({ name: 'alias/app', keyId, createdAt: h.clock.now() });

    const out = await encrypt(h.ctx, { keyId: 'alias/app', plaintext });
    expect(out.keyId).toBe(keyId);
    const back = await decrypt(h.ctx, { ciphertext: out.ciphertext, keyId: 'alias/app' });
    expect(back.plaintext.bytes).toEqual(plaintext);
  });

  it('gives a key several aliases, listed in name order', async () => {
    const { keyId } = await createKey(h.ctx, { alias: 'alias/multi-c' });
    await createAlias(h.ctx, { alias: 'alias/multi-a', keyId });
    await createAlias(h.ctx, { alias: 'alias/multi-b', keyId });
    expect(await aliasNames(keyId)).toEqual(['alias/multi-a', 'alias/multi-b', 'alias/multi-c']);
    expect((await describeKey(h.ctx, { keyId })).aliases).toEqual([
      'alias/multi-a',
      'alias/multi-b',
      'alias/multi-c',
    ]);
  });

  it('pages through aliases', async () => {
    const { keyId } = await createKey(h.ctx, {});
    for (let i = 0; i < 5; i++)
      await createAlias(h.ctx, { alias: `alias/page-${String(i)}`, keyId });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAliases(h.ctx, {
        keyId,
        limit: 2,
        ...(cursor !== undefined && { cursor }),
      });
      expect(page.aliases.length).toBeLessThanOrEqual(2);
      seen.push(...page.aliases.map((a) => a.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual([
      'alias/page-0',
      'alias/page-1',
      'alias/page-2',
      'alias/page-3',
      'alias/page-4',
    ]);
  });

  it('moves an alias to another key of the same type and usage', async () => {
    const from = await createKey(h.ctx, { alias: 'alias/moving' });
    const to = await createKey(h.ctx, {});
    // Warm the alias cache: the move must invalidate it.
    expect((await encrypt(h.ctx, { keyId: 'alias/moving', plaintext })).keyId).toBe(from.keyId);
    h.clock.advance(1000);
    await updateAlias(h.ctx, { alias: 'alias/moving', keyId: to.keyId });
    expect((await encrypt(h.ctx, { keyId: 'alias/moving', plaintext })).keyId).toBe(to.keyId);
    expect((await describeKey(h.ctx, { keyId: from.keyId })).aliases).toEqual([]);
    expect((await describeKey(h.ctx, { keyId: to.keyId })).aliases).toEqual(['alias/moving']);
    const stored = await h.store.getAlias('alias/moving');
    expect(stored?.keyId).toBe(to.keyId);
    expect(stored?.updatedAt).toEqual(h.clock.now());
    expect(stored?.createdAt.getTime()).toBeLessThan(h.clock.now().getTime());
  });

  it('moves an alias between curves of one family', async () => {
    const p256 = await createKey(h.ctx, { spec: 'ECC_NIST_P256', alias: 'alias/signer' });
    const p384 = await createKey(h.ctx, { spec: 'ECC_NIST_P384' });
    await updateAlias(h.ctx, { alias: 'alias/signer', keyId: p384.keyId });
    expect((await describeKey(h.ctx, { keyId: 'alias/signer' })).keyId).toBe(p384.keyId);
    await updateAlias(h.ctx, { alias: 'alias/signer', keyId: p256.keyId });
    expect((await describeKey(h.ctx, { keyId: 'alias/signer' })).keyId).toBe(p256.keyId);
  });

  it('refuses to move an alias to a key of another usage or family (INVALID_INPUT)', async () => {
    const aes = await createKey(h.ctx, { alias: 'alias/stays' });
    const mac = await createKey(h.ctx, { spec: 'HMAC_256' });
    expect(await errorCode(updateAlias(h.ctx, { alias: 'alias/stays', keyId: mac.keyId }))).toBe(
      'INVALID_INPUT',
    );
    const ec = await createKey(h.ctx, { spec: 'ECC_NIST_P256', alias: 'alias/ec-signer' });
    const ed = await createKey(h.ctx, { spec: 'ED25519' });
    expect(await errorCode(updateAlias(h.ctx, { alias: 'alias/ec-signer', keyId: ed.keyId }))).toBe(
      'INVALID_INPUT',
    );
    expect((await h.store.getAlias('alias/stays'))?.keyId).toBe(aes.keyId);
    expect((await h.store.getAlias('alias/ec-signer'))?.keyId).toBe(ec.keyId);
    expect((await encrypt(h.ctx, { keyId: 'alias/stays', plaintext })).keyId).toBe(aes.keyId);
  });

  it('deletes an alias', async () => {
    const { keyId } = await createKey(h.ctx, { alias: 'alias/short-lived' });
    await encrypt(h.ctx, { keyId: 'alias/short-lived', plaintext });
    await deleteAlias(h.ctx, { alias: 'alias/short-lived' });
    expect(await h.store.getAlias('alias/short-lived')).toBeUndefined();
    expect((await describeKey(h.ctx, { keyId })).aliases).toEqual([]);
    expect(await errorCode(encrypt(h.ctx, { keyId: 'alias/short-lived', plaintext }))).toBe(
      'NOT_FOUND',
    );
    expect(await errorCode(deleteAlias(h.ctx, { alias: 'alias/short-lived' }))).toBe('NOT_FOUND');
    // The name can be used again, for another key.
    const other = await createKey(h.ctx, {});
    await createAlias(h.ctx, { alias: 'alias/short-lived', keyId: other.keyId });
    expect((await encrypt(h.ctx, { keyId: 'alias/short-lived', plaintext })).keyId).toBe(
      other.keyId,
    );
  });

  it('answers NOT_FOUND for aliases that do not exist', async () => {
    const { keyId } = await createKey(h.ctx, {});
    expect(await errorCode(updateAlias(h.ctx, { alias: 'alias/nowhere', keyId }))).toBe(
      'NOT_FOUND',
    );
    expect(await errorCode(describeKey(h.ctx, { keyId: 'alias/nowhere' }))).toBe('NOT_FOUND');
    expect(await errorCode(listAliases(h.ctx, { keyId: 'alias/nowhere' }))).toBe('NOT_FOUND');
  });

  it('keeps alias names unique (ALREADY_EXISTS)', async () => {
    const a = await createKey(h.ctx, { alias: 'alias/unique' });
    const b = await createKey(h.ctx, {});
    expect(await errorCode(createAlias(h.ctx, { alias: 'alias/unique', keyId: b.keyId }))).toBe(
      'ALREADY_EXISTS',
    );
    expect(await errorCode(createAlias(h.ctx, { alias: 'alias/unique', keyId: a.keyId }))).toBe(
      'ALREADY_EXISTS',
    );
    expect((await h.store.getAlias('alias/unique'))?.keyId).toBe(a.keyId);
    expect((await describeKey(h.ctx, { keyId: b.keyId })).aliases).toEqual([]);
  });

  it('creates no key when the alias given at creation exists (ALREADY_EXISTS)', async () => {
    await createKey(h.ctx, { alias: 'alias/taken' });
    const before = await storedKeyCount();
    const aliasesBefore = await aliasNames();
    expect(await errorCode(createKey(h.ctx, { alias: 'alias/taken' }))).toBe('ALREADY_EXISTS');
    expect(await storedKeyCount()).toBe(before);
    expect(await aliasNames()).toEqual(aliasesBefore);
  });

  it('accepts the longest name and every allowed character', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const longest = `alias/${'a'.repeat(250)}`;
    expect(longest).toHaveLength(256);
    await createAlias(h.ctx, { alias: longest, keyId });
    await createAlias(h.ctx, { alias: 'alias/Az09/_-x', keyId });
    await createAlias(h.ctx, { alias: 'alias/customer', keyId });
    expect((await describeKey(h.ctx, { keyId: longest })).keyId).toBe(keyId);
  });

  const invalidNames = [
    'app',
    'alias',
    'alias/',
    'Alias/app',
    'aliases/app',
    'alias/aws/app',
    'alias/aws/',
    'alias/custos/app',
    'alias/with space',
    'alias/dot.ted',
    'alias/colon:ed',
    'alias/ünïcode',
    'alias/star*',
    'alias/new\nline',
    `alias/${'a'.repeat(251)}`,
  ];
  it.each(invalidNames)('refuses the alias name %j (INVALID_INPUT)', async (alias) => {
    const { keyId } = await createKey(h.ctx, {});
    const before = await storedKeyCount();
    expect(await errorCode(createAlias(h.ctx, { alias, keyId }))).toBe('INVALID_INPUT');
    expect(await errorCode(createKey(h.ctx, { alias }))).toBe('INVALID_INPUT');
    expect(await errorCode(updateAlias(h.ctx, { alias, keyId }))).toBe('INVALID_INPUT');
    expect(await errorCode(deleteAlias(h.ctx, { alias }))).toBe('INVALID_INPUT');
    expect(await storedKeyCount()).toBe(before);
    expect((await describeKey(h.ctx, { keyId })).aliases).toEqual([]);
  });
});
