/**
 * The scheduler deletes expired import parameters (and tokens) once they have
 * been expired for the grace period, and not before: until then an import
 * with them is told EXPIRED_IMPORT_TOKEN.
 */
import { randomBytes } from 'node:crypto';
import { publicKeyFromSpki, rsaAesKeyWrap } from '@custos/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_PURGE_EXPIRED_AFTER_MS,
  createKey,
  getParametersForImport,
  importKeyMaterial,
  runDueWork,
} from '../../src/service/index.js';
import { errorCode, makeKms, type KmsHarness } from '../support/kms-harness.js';

const DAY = 86_400_000;

let h: KmsHarness;
beforeEach(async () => {
  h = await makeKms();
});
afterEach(async () => {
  await h.close();
});

async function expiringImport() {
  const { keyId } = await createKey(h.ctx, { origin: 'EXTERNAL' });
  const params = await getParametersForImport(h.ctx, {
    keyId,
    wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
    wrappingKeySpec: 'RSA_2048',
  });
  const material = randomBytes(32);
  const encryptedKeyMaterial = rsaAesKeyWrap(
    publicKeyFromSpki(params.publicKey),
    'SHA-256',
    material,
  );
  return {
    keyId,
    attempt: () =>
      importKeyMaterial(h.ctx, { keyId, importToken: params.importToken, encryptedKeyMaterial }),
  };
}

describe('purge of expired import parameters', () => {
  it('keeps them through the grace period, then deletes them', async () => {
    const pending = await expiringImport();
    h.clock.advance(DAY + 1);
    expect(await errorCode(pending.attempt())).toBe('EXPIRED_IMPORT_TOKEN');
    expect(await runDueWork(h.kms)).toMatchObject({ purgedImportTokens: 0, purgedTokens: 0 });
    expect(await errorCode(pending.attempt())).toBe('EXPIRED_IMPORT_TOKEN');

    h.clock.advance(DEFAULT_PURGE_EXPIRED_AFTER_MS);
    expect(await runDueWork(h.kms)).toMatchObject({ purgedImportTokens: 1 });
    expect(await errorCode(pending.attempt())).toBe('INVALID_IMPORT_TOKEN');
    expect(await runDueWork(h.kms)).toMatchObject({ purgedImportTokens: 0 });
  });

  it('a grace of 0 purges as soon as they expire; unexpired ones stay usable', async () => {
    const expired = await expiringImport();
    h.clock.advance(DAY / 2);
    const fresh = await expiringImport();
    h.clock.advance(DAY / 2 + 1);
    expect(await runDueWork(h.kms, { purgeExpiredAfterMs: 0 })).toMatchObject({
      purgedImportTokens: 1,
    });
    expect(await errorCode(expired.attempt())).toBe('INVALID_IMPORT_TOKEN');
    await fresh.attempt();
  });

  it('purges while sealed: no key material is needed', async () => {
    const pending = await expiringImport();
    h.clock.advance(2 * DAY + 1);
    h.kms.keyring.seal();
    expect(await runDueWork(h.kms)).toEqual({
      rotated: 0,
      destroyed: 0,
      expired: 0,
      failed: 0,
      purgedTokens: 0,
      purgedImportTokens: 1,
    });
    expect(await h.store.getKey(pending.keyId)).toBeDefined();
  });
});
