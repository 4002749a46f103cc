import { publicKeyFromSpki, rsaAesKeyWrap } from '@custos/crypto';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_PRINCIPAL } from '../../src/core/principal.js';
import { DevFileSeal } from '../../src/seal/dev-file-seal.js';
import { Keyring } from '../../src/seal/keyring.js';
import type { Kms, RequestContext } from '../../src/service/context.js';
import {
  backupKey,
  createAlias,
  createKey,
  decrypt,
  deleteImportedKeyMaterial,
  describeKey,
  encrypt,
  getParametersForImport,
  importKeyMaterial,
  restoreKey,
  runDueWork,
  scheduleKeyDeletion,
  sign,
  verify,
} from '../../src/service/index.js';
import { createKms } from '../../src/service/kms.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { errorCode, makeKms, type KmsHarness } from '../support/kms-harness.js';

const DAY = 86_400_000;
const message = Buffer.from('backed up');

/** A second, empty store whose keyring holds the same domain key as `h` (e.g. a disaster-recovery site). */
async function twinOf(
  h: KmsHarness,
): Promise<{ kms: Kms; ctx: RequestContext; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'custos-twin-'));
  const store = await openSqliteStore({ path: join(dir, 'custos.db') });
  const keyring = new Keyring();
  const wrapped = await h.store.getMeta('domain-key');
  if (wrapped === undefined) throw new Error('the harness has no domain key');
  await keyring.unseal(await DevFileSeal.open(join(h.dir, 'root.key')), wrapped);
  const kms = createKms({ store, keyring, clock: h.clock });
  return {
    kms,
    ctx: { kms, principal: ROOT_PRINCIPAL, requestId: 'twin' },
    async close() {
      await store.close();
      keyring.seal();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function keyIds(kms: Kms): Promise<string[]> {
  return (await kms.store.listKeys({}, { limit: 1000 })).items.map((k) => k.id);
}

let h: KmsHarness;
let other: KmsHarness;
beforeAll(async () => {
  h = await makeKms();
  other = await makeKms();
});
afterAll(async () => {
  await h.close();
  await other.close();
});

describe('backupKey and restoreKey', () => {
  it('a server with another domain key cannot restore: INVALID_CIPHERTEXT, nothing written', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256', alias: 'alias/elsewhere' });
    const { backup } = await backupKey(h.ctx, { keyId });
    const before = await keyIds(other.kms);
    expect(await errorCode(restoreKey(other.ctx, { backup }))).toBe('INVALID_CIPHERTEXT');
    expect(await keyIds(other.kms)).toEqual(before);
    expect(await other.store.getAlias('alias/elsewhere')).toBeUndefined();
  });

  it('a key that still exists, even as a Destroyed tombstone, is ALREADY_EXISTS', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256' });
    const { backup } = await backupKey(h.ctx, { keyId });
    expect(await errorCode(restoreKey(h.ctx, { backup }))).toBe('ALREADY_EXISTS');
    await scheduleKeyDeletion(h.ctx, { keyId, pendingWindowDays: 7 });
    h.clock.advance(8 * DAY);
    await runDueWork(h.kms);
    const before = await describeKey(h.ctx, { keyId });
    expect(before.state).toBe('Destroyed');
    expect(await errorCode(restoreKey(h.ctx, { backup }))).toBe('ALREADY_EXISTS');
    expect(await describeKey(h.ctx, { keyId })).toEqual(before);
  });

  it('a destroyed key cannot be backed up', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256' });
    await scheduleKeyDeletion(h.ctx, { keyId });
    h.clock.advance(31 * DAY);
    await runDueWork(h.kms);
    expect(await errorCode(backupKey(h.ctx, { keyId }))).toBe('NOT_FOUND');
  });

  it('restores into a store sharing the domain key: metadata, versions, aliases, old ciphertexts', async () => {
    const created = await createKey(h.ctx, {
      spec: 'AES_256',
      description: 'payments',
      tags: { team: 'billing' },
      alias: 'alias/payments',
    });
    const { keyId } = created;
    await createAlias(h.ctx, { alias: 'alias/payments-2', keyId });
    const { ciphertext } = await encrypt(h.ctx, {
      keyId,
      plaintext: message,
      encryptionContext: { a: 'b' },
    });
    const { backup } = await backupKey(h.ctx, { keyId: 'alias/payments' });
    await scheduleKeyDeletion(h.ctx, { keyId });
    h.clock.advance(31 * DAY);
    await runDueWork(h.kms);
    expect((await describeKey(h.ctx, { keyId })).state).toBe('Destroyed');

    const twin = await twinOf(h);
    try {
      const view = await restoreKey(twin.ctx, { backup });
      expect(view).toMatchObject({
        keyId,
        spec: 'AES_256',
        usage: 'ENCRYPT_DECRYPT',
        state: 'Enabled',
        description: 'payments',
        tags: { team: 'billing' },
        primaryVersion: 1,
        createdAt: created.createdAt,
      });
      expect([...view.aliases].sort()).toEqual(['alias/payments', 'alias/payments-2']);
      const out = await decrypt(twin.ctx, { ciphertext, encryptionContext: { a: 'b' } });
      expect(out.plaintext.bytes).toEqual(message);
      expect((await encrypt(twin.ctx, { keyId: 'alias/payments', plaintext: message })).keyId).toBe(
        keyId,
      );
    } finally {
      await twin.close();
    }
  });

  it('restores every version of a signing key; old signatures verify', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'ECC_NIST_P256' });
    const { signature } = await sign(h.ctx, { keyId, message, algorithm: 'ECDSA_SHA_256' });
    const { backup } = await backupKey(h.ctx, { keyId });
    const twin = await twinOf(h);
    try {
      await restoreKey(twin.ctx, { backup });
      const checked = await verify(twin.ctx, {
        keyId,
        message,
        signature,
        algorithm: 'ECDSA_SHA_256',
      });
      expect(checked.valid).toBe(true);
    } finally {
      await twin.close();
    }
  });

  it('an imported key keeps its material fingerprint: only the same material re-imports', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256', origin: 'EXTERNAL' });
    const material = randomBytes(32);
    const importInto = async (ctx: RequestContext, bytes: Buffer) => {
      const params = await getParametersForImport(ctx, {
        keyId,
        wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
        wrappingKeySpec: 'RSA_2048',
      });
      const encryptedKeyMaterial = rsaAesKeyWrap(
        publicKeyFromSpki(params.publicKey),
        'SHA-256',
        bytes,
      );
      return importKeyMaterial(ctx, {
        keyId,
        importToken: params.importToken,
        encryptedKeyMaterial,
      });
    };
    await importInto(h.ctx, material);
    const { ciphertext } = await encrypt(h.ctx, { keyId, plaintext: message });
    const { backup } = await backupKey(h.ctx, { keyId });
    const twin = await twinOf(h);
    try {
      expect((await restoreKey(twin.ctx, { backup })).origin).toBe('EXTERNAL');
      await deleteImportedKeyMaterial(twin.ctx, { keyId });
      expect(await errorCode(importInto(twin.ctx, randomBytes(32)))).toBe('INCORRECT_KEY_MATERIAL');
      await importInto(twin.ctx, material);
      expect((await decrypt(twin.ctx, { ciphertext })).plaintext.bytes).toEqual(message);
    } finally {
      await twin.close();
    }
  });

  it('skips aliases another key has taken, and cancels a pending deletion', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256', alias: 'alias/shared' });
    await createAlias(h.ctx, { alias: 'alias/own', keyId });
    await scheduleKeyDeletion(h.ctx, { keyId, pendingWindowDays: 7 });
    const { backup } = await backupKey(h.ctx, { keyId });
    const twin = await twinOf(h);
    try {
      const squatter = await createKey(twin.ctx, { spec: 'AES_256', alias: 'alias/shared' });
      const view = await restoreKey(twin.ctx, { backup });
      expect(view).toMatchObject({ state: 'Disabled', deletionDate: null, aliases: ['alias/own'] });
      expect((await twin.kms.store.getAlias('alias/shared'))?.keyId).toBe(squatter.keyId);
    } finally {
      await twin.close();
    }
  });

  it('tampered, foreign and malformed blobs are refused and write nothing', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256' });
    const { backup } = await backupKey(h.ctx, { keyId });
    const twin = await twinOf(h);
    try {
      const flipped = Buffer.from(backup);
      flipped[flipped.length - 3] = (flipped[flipped.length - 3] ?? 0) ^ 0x40;
      expect(await errorCode(restoreKey(twin.ctx, { backup: flipped }))).toBe('INVALID_CIPHERTEXT');
      expect(await errorCode(restoreKey(twin.ctx, { backup: backup.subarray(0, 20) }))).toBe(
        'INVALID_CIPHERTEXT',
      );
      const foreignMagic = Buffer.concat([Buffer.from('XXXX'), backup.subarray(4)]);
      expect(await errorCode(restoreKey(twin.ctx, { backup: foreignMagic }))).toBe('INVALID_INPUT');
      const future = Buffer.from(backup);
      future[4] = 2;
      expect(await errorCode(restoreKey(twin.ctx, { backup: future }))).toBe('UNSUPPORTED');
      expect(await errorCode(restoreKey(twin.ctx, { backup: Buffer.alloc(0) }))).toBe(
        'INVALID_INPUT',
      );
      expect(await keyIds(twin.kms)).toEqual([]);
    } finally {
      await twin.close();
    }
  });

  it('is denied to principals without the right', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256' });
    const { backup } = await backupKey(h.ctx, { keyId });
    const ctx = h.as({ id: 'user/mallory', kind: 'user', policies: [] });
    expect(await errorCode(backupKey(ctx, { keyId }))).toBe('ACCESS_DENIED');
    expect(await errorCode(restoreKey(ctx, { backup }))).toBe('ACCESS_DENIED');
  });
});
