import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKmsError } from '../../src/core/errors.js';
import type { KeyRecord } from '../../src/core/key.js';
import {
  createAlias,
  createKey,
  decrypt,
  describeKey,
  disableKey,
  encrypt,
  rotateKey,
  runDueWork,
  scheduleKeyDeletion,
  setKeyRotation,
  tagKey,
  updateKeyDescription,
} from '../../src/service/index.js';
import { makeKms, type KmsHarness } from '../support/kms-harness.js';

const DAY = 86_400_000;

let h: KmsHarness;
beforeAll(async () => {
  h = await makeKms();
});
afterAll(async () => {
  await h.close();
});

type Outcome = { ok: true } | { ok: false; code: string };

async function outcome(run: Promise<unknown>): Promise<Outcome> {
  try {
    await run;
    return { ok: true };
  } catch (error) {
    return { ok: false, code: isKmsError(error) ? error.code : String(error) };
  }
}

async function stored(keyId: string): Promise<KeyRecord> {
  const key = await h.store.getKey(keyId);
  if (key === undefined) throw new Error(`key ${keyId} vanished`);
  return key;
}

interface Race {
  readonly name: string;
  readonly a: (keyId: string) => Promise<unknown>;
  readonly b: (keyId: string) => Promise<unknown>;
  /** What the stored key looks like when `a` (or `b`) alone was applied. */
  readonly appliedA: (key: KeyRecord) => boolean;
  readonly appliedB: (key: KeyRecord) => boolean;
}

const races: Race[] = [
  {
    name: 'updateKeyDescription vs tagKey',
    a: (keyId) => updateKeyDescription(h.ctx, { keyId, description: 'a' }),
    b: (keyId) => tagKey(h.ctx, { keyId, set: { team: 'x' } }),
    appliedA: (k) => k.description === 'a',
    appliedB: (k) => k.tags.team === 'x',
  },
  {
    name: 'tagKey vs tagKey',
    a: (keyId) => tagKey(h.ctx, { keyId, set: { first: '1' } }),
    b: (keyId) => tagKey(h.ctx, { keyId, set: { second: '2' } }),
    appliedA: (k) => k.tags.first === '1',
    appliedB: (k) => k.tags.second === '2',
  },
  {
    name: 'disableKey vs updateKeyDescription',
    a: (keyId) => disableKey(h.ctx, { keyId }),
    b: (keyId) => updateKeyDescription(h.ctx, { keyId, description: 'b' }),
    appliedA: (k) => k.state === 'Disabled',
    appliedB: (k) => k.description === 'b',
  },
  {
    name: 'scheduleKeyDeletion vs setKeyRotation',
    a: (keyId) => scheduleKeyDeletion(h.ctx, { keyId }),
    b: (keyId) => setKeyRotation(h.ctx, { keyId, rotationPeriodDays: 30 }),
    appliedA: (k) => k.state === 'PendingDeletion',
    appliedB: (k) => k.rotationPeriodDays === 30,
  },
];

describe('racing writes to one key', () => {
  for (const race of races) {
    it(`${race.name}: exactly one wins, the other is CONFLICT, nothing is lost`, async () => {
      for (let round = 0; round < 5; round++) {
        const { keyId } = await createKey(h.ctx, {});
        // Both start from the same cached snapshot.
        await describeKey(h.ctx, { keyId });
        const before = await stored(keyId);
        const [a, b] = await Promise.all([outcome(race.a(keyId)), outcome(race.b(keyId))]);
        const after = await stored(keyId);

        expect([a, b].filter((o) => o.ok)).toHaveLength(1);
        const loser = a.ok ? b : a;
        expect(loser).toEqual({ ok: false, code: 'CONFLICT' });
        expect(after.rowVersion).toBe(before.rowVersion + 1);
        expect(race.appliedA(after)).toBe(a.ok);
        expect(race.appliedB(after)).toBe(b.ok);
        // The service no longer serves the stale snapshot.
        const view = await describeKey(h.ctx, { keyId });
        expect({ state: view.state, description: view.description, tags: view.tags }).toEqual({
          state: after.state,
          description: after.description,
          tags: after.tags,
        });
      }
    });
  }

  it('the loser succeeds when retried, and then both changes are kept', async () => {
    const { keyId } = await createKey(h.ctx, {});
    await describeKey(h.ctx, { keyId });
    const describe = () => updateKeyDescription(h.ctx, { keyId, description: 'kept' });
    const tag = () => tagKey(h.ctx, { keyId, set: { kept: 'yes' } });
    const [a, b] = await Promise.all([outcome(describe()), outcome(tag())]);
    await (a.ok ? tag() : describe());
    expect(b.ok || a.ok).toBe(true);
    const after = await stored(keyId);
    expect(after.description).toBe('kept');
    expect(after.tags).toEqual({ kept: 'yes' });
  });

  it('two rotations at once add one version, the other is CONFLICT', async () => {
    const { keyId } = await createKey(h.ctx, {});
    await describeKey(h.ctx, { keyId });
    const results = await Promise.all([
      outcome(rotateKey(h.ctx, { keyId })),
      outcome(rotateKey(h.ctx, { keyId })),
    ]);
    expect(results.filter((o) => o.ok)).toHaveLength(1);
    expect(results.find((o) => !o.ok)).toEqual({ ok: false, code: 'CONFLICT' });
    expect((await h.store.getVersions(keyId)).map((v) => v.version)).toEqual([1, 2]);
    expect((await stored(keyId)).primaryVersion).toBe(2);
  });

  it('a scheduled rotation racing a manual one rotates once', async () => {
    const { keyId } = await createKey(h.ctx, { rotationPeriodDays: 1 });
    h.clock.advance(DAY + 1);
    await describeKey(h.ctx, { keyId });
    const [work] = await Promise.all([runDueWork(h.kms), outcome(rotateKey(h.ctx, { keyId }))]);
    expect(work.rotated + work.failed).toBeLessThanOrEqual(1);
    expect((await h.store.getVersions(keyId)).map((v) => v.version)).toEqual([1, 2]);
    expect((await describeKey(h.ctx, { keyId })).primaryVersion).toBe(2);
  });

  it('one alias name claimed by two keys at once: one ALREADY_EXISTS', async () => {
    const a = await createKey(h.ctx, {});
    const b = await createKey(h.ctx, {});
    const results = await Promise.all([
      outcome(createAlias(h.ctx, { alias: 'alias/contested', keyId: a.keyId })),
      outcome(createAlias(h.ctx, { alias: 'alias/contested', keyId: b.keyId })),
    ]);
    expect(results.filter((o) => o.ok)).toHaveLength(1);
    expect(results.find((o) => !o.ok)).toEqual({ ok: false, code: 'ALREADY_EXISTS' });
    const winner = results[0].ok ? a.keyId : b.keyId;
    expect((await h.store.getAlias('alias/contested'))?.keyId).toBe(winner);
    expect((await describeKey(h.ctx, { keyId: winner })).aliases).toEqual(['alias/contested']);
  });
});

describe('concurrent cryptographic operations', () => {
  it('200 concurrent encryptions under two keys all decrypt', async () => {
    const keys = [(await createKey(h.ctx, {})).keyId, (await createKey(h.ctx, {})).keyId];
    const inputs = Array.from({ length: 200 }, (_, i) => ({
      keyId: keys[i % 2] ?? '',
      plaintext: Buffer.from(`message ${String(i)}`),
      encryptionContext: { i: String(i) },
    }));
    const outs = await Promise.all(inputs.map((input) => encrypt(h.ctx, input)));
    const backs = await Promise.all(
      outs.map((out, i) =>
        decrypt(h.ctx, { ciphertext: out.ciphertext, encryptionContext: { i: String(i) } }),
      ),
    );
    backs.forEach((back, i) => {
      expect(back.keyId).toBe(inputs[i]?.keyId);
      expect(back.plaintext.bytes.toString()).toBe(`message ${String(i)}`);
    });
    for (const keyId of keys) {
      expect((await describeKey(h.ctx, { keyId })).versions[0]?.usageCount).toBe(100);
    }
  });

  it('encryptions racing a rotation all decrypt, under one version or the other', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const plaintext = Buffer.from('during rotation');
    const [outs] = await Promise.all([
      Promise.all(Array.from({ length: 50 }, () => encrypt(h.ctx, { keyId, plaintext }))),
      rotateKey(h.ctx, { keyId }),
    ]);
    for (const out of outs) {
      expect([1, 2]).toContain(out.keyVersion);
      const back = await decrypt(h.ctx, { ciphertext: out.ciphertext });
      expect(back.keyVersion).toBe(out.keyVersion);
      expect(back.plaintext.bytes).toEqual(plaintext);
    }
    expect((await encrypt(h.ctx, { keyId, plaintext })).keyVersion).toBe(2);
  });

  it('20 keys created at once are 20 distinct keys', async () => {
    const before = (await h.store.listKeys({}, { limit: 1000 })).items.length;
    const views = await Promise.all(Array.from({ length: 20 }, () => createKey(h.ctx, {})));
    expect(new Set(views.map((v) => v.keyId)).size).toBe(20);
    expect((await h.store.listKeys({}, { limit: 1000 })).items.length).toBe(before + 20);
  });
});
