import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKmsError } from '../../src/core/errors.js';
import { DevFileSeal } from '../../src/seal/dev-file-seal.js';
import {
  cancelKeyDeletion,
  createAlias,
  createKey,
  decrypt,
  deleteAlias,
  describeKey,
  disableKey,
  enableKey,
  encrypt,
  generateDataKey,
  generateDataKeyPair,
  generateMac,
  generateRandom,
  getPublicKey,
  initializeKms,
  listAliases,
  listKeys,
  reEncrypt,
  rotateKey,
  runDueWork,
  scheduleKeyDeletion,
  sealKms,
  sealStatus,
  setKeyRotation,
  sign,
  tagKey,
  unsealKms,
  updateAlias,
  updateKeyDescription,
  updateKeyVersion,
  verify,
  verifyMac,
} from '../../src/service/index.js';
import { errorCode, makeKms, type KmsHarness } from '../support/kms-harness.js';

const DAY = 86_400_000;
const plaintext = Buffer.from('sealed away');
const message = Buffer.from('signed before the seal');

let h: KmsHarness;
let aes: string;
let mac: string;
let ecc: string;
let doomed: string;
let ciphertext: Buffer;
let signature: Buffer;
let tag: Buffer;
/** The keyring's own cached material buffers, captured to see them zeroed. */
const cached: Buffer[] = [];
const seals: DevFileSeal[] = [];

async function sealFile(name: string, create: boolean): Promise<DevFileSeal> {
  const path = join(h.dir, name);
  const seal = create ? await DevFileSeal.create(path) : await DevFileSeal.open(path);
  seals.push(seal);
  return seal;
}

beforeAll(async () => {
  h = await makeKms();
  aes = (await createKey(h.ctx, { alias: 'alias/sealed' })).keyId;
  mac = (await createKey(h.ctx, { spec: 'HMAC_512' })).keyId;
  ecc = (await createKey(h.ctx, { spec: 'ECC_NIST_P384' })).keyId;
  doomed = (await createKey(h.ctx, {})).keyId;
  ciphertext = (await encrypt(h.ctx, { keyId: aes, plaintext, encryptionContext: { a: 'b' } }))
    .ciphertext;
  signature = (await sign(h.ctx, { keyId: ecc, message, algorithm: 'ECDSA_SHA_384' })).signature;
  tag = (await generateMac(h.ctx, { keyId: mac, message, algorithm: 'HMAC_SHA_512' })).mac;
  for (const keyId of [aes, mac, ecc]) {
    const [version] = await h.store.getVersions(keyId);
    const wrapped = version?.wrappedMaterial ?? Buffer.alloc(0);
    // Returning the buffer out of `use` breaks the keyring's contract on purpose: it is
    // the only way to see that sealing zeroes the very bytes the cache held.
    cached.push(h.kms.keyring.withVersion(keyId, 1, wrapped, (material) => material));
  }
  await scheduleKeyDeletion(h.ctx, { keyId: doomed, pendingWindowDays: 7 });
});
afterAll(async () => {
  for (const seal of seals) seal.close();
  await h.close();
});

const sealedOps: [string, () => Promise<unknown>][] = [
  ['createKey', () => createKey(h.ctx, {})],
  ['describeKey', () => describeKey(h.ctx, { keyId: aes })],
  ['describeKey by alias', () => describeKey(h.ctx, { keyId: 'alias/sealed' })],
  ['listKeys', () => listKeys(h.ctx, {})],
  ['listAliases', () => listAliases(h.ctx, {})],
  ['updateKeyDescription', () => updateKeyDescription(h.ctx, { keyId: aes, description: 'x' })],
  ['tagKey', () => tagKey(h.ctx, { keyId: aes, set: { a: 'b' } })],
  ['createAlias', () => createAlias(h.ctx, { alias: 'alias/while-sealed', keyId: aes })],
  ['updateAlias', () => updateAlias(h.ctx, { alias: 'alias/sealed', keyId: aes })],
  [
    'updateAlias of an unknown alias',
    () => updateAlias(h.ctx, { alias: 'alias/none', keyId: aes }),
  ],
  ['deleteAlias', () => deleteAlias(h.ctx, { alias: 'alias/sealed' })],
  ['deleteAlias of an unknown alias', () => deleteAlias(h.ctx, { alias: 'alias/none' })],
  ['enableKey', () => enableKey(h.ctx, { keyId: aes })],
  ['disableKey', () => disableKey(h.ctx, { keyId: aes })],
  ['rotateKey', () => rotateKey(h.ctx, { keyId: aes })],
  ['setKeyRotation', () => setKeyRotation(h.ctx, { keyId: aes, rotationPeriodDays: 90 })],
  ['updateKeyVersion', () => updateKeyVersion(h.ctx, { keyId: aes, version: 1, state: 'Enabled' })],
  ['scheduleKeyDeletion', () => scheduleKeyDeletion(h.ctx, { keyId: aes })],
  ['cancelKeyDeletion', () => cancelKeyDeletion(h.ctx, { keyId: doomed })],
  ['encrypt', () => encrypt(h.ctx, { keyId: aes, plaintext })],
  ['decrypt', () => decrypt(h.ctx, { ciphertext, encryptionContext: { a: 'b' } })],
  ['reEncrypt', () => reEncrypt(h.ctx, { ciphertext, destinationKeyId: aes })],
  [
    'generateDataKey',
    () => generateDataKey(h.ctx, { keyId: aes, keySpec: 'AES_256', withPlaintext: true }),
  ],
  [
    'generateDataKeyPair',
    () => generateDataKeyPair(h.ctx, { keyId: aes, keyPairSpec: 'ED25519', withPlaintext: false }),
  ],
  ['sign', () => sign(h.ctx, { keyId: ecc, message, algorithm: 'ECDSA_SHA_384' })],
  ['verify', () => verify(h.ctx, { keyId: ecc, message, signature, algorithm: 'ECDSA_SHA_384' })],
  ['getPublicKey', () => getPublicKey(h.ctx, { keyId: ecc })],
  ['generateMac', () => generateMac(h.ctx, { keyId: mac, message, algorithm: 'HMAC_SHA_512' })],
  [
    'verifyMac',
    () => verifyMac(h.ctx, { keyId: mac, message, mac: tag, algorithm: 'HMAC_SHA_512' }),
  ],
  ['generateRandom', () => generateRandom(h.ctx, { numberOfBytes: 16 })],
];

describe('sealing', () => {
  it('zeroes the cached key material', async () => {
    for (const material of cached) expect(material.some((b) => b !== 0)).toBe(true);
    sealKms(h.kms);
    for (const material of cached) expect(material.every((b) => b === 0)).toBe(true);
    expect(await sealStatus(h.kms)).toEqual({
      initialized: true,
      sealed: true,
      sealType: 'dev-file',
    });
  });

  it.each(sealedOps)('%s answers SEALED', async (_, run) => {
    const before = await h.store.listKeys({}, { limit: 1000 });
    const error: unknown = await run().then(
      () => 'no error',
      (e: unknown) => e,
    );
    expect(isKmsError(error) ? error.code : error).toBe('SEALED');
    expect(await h.store.listKeys({}, { limit: 1000 })).toEqual(before);
  });

  it('does no scheduled work while sealed', async () => {
    h.clock.advance(8 * DAY);
    expect(await runDueWork(h.kms)).toEqual({
      rotated: 0,
      destroyed: 0,
      expired: 0,
      failed: 0,
      purgedTokens: 0,
      purgedImportTokens: 0,
    });
    expect((await h.store.getKey(doomed))?.state).toBe('PendingDeletion');
  });

  it('refuses to initialise again while sealed (ALREADY_EXISTS)', async () => {
    const other = await sealFile('other-init.key', true);
    expect(await errorCode(initializeKms(h.kms, other))).toBe('ALREADY_EXISTS');
    expect(h.kms.keyring.sealed).toBe(true);
  });

  it('refuses to unseal with another root of trust (INVALID_INPUT)', async () => {
    const other = await sealFile('other.key', true);
    expect(await errorCode(unsealKms(h.kms, other))).toBe('INVALID_INPUT');
    expect(h.kms.keyring.sealed).toBe(true);
    expect(await errorCode(encrypt(h.ctx, { keyId: aes, plaintext }))).toBe('SEALED');
  });
});

describe('unsealing', () => {
  it('restores service with the same seal; old ciphertexts, signatures and MACs still work', async () => {
    await unsealKms(h.kms, await sealFile('root.key', false));
    expect((await sealStatus(h.kms)).sealed).toBe(false);

    const back = await decrypt(h.ctx, { ciphertext, encryptionContext: { a: 'b' } });
    expect(back.plaintext.bytes).toEqual(plaintext);
    expect(
      (await verify(h.ctx, { keyId: ecc, message, signature, algorithm: 'ECDSA_SHA_384' })).valid,
    ).toBe(true);
    expect(
      (await verifyMac(h.ctx, { keyId: mac, message, mac: tag, algorithm: 'HMAC_SHA_512' })).valid,
    ).toBe(true);
    expect((await encrypt(h.ctx, { keyId: 'alias/sealed', plaintext })).keyId).toBe(aes);
    const fresh = await createKey(h.ctx, {});
    const out = await encrypt(h.ctx, { keyId: fresh.keyId, plaintext });
    expect((await decrypt(h.ctx, { ciphertext: out.ciphertext })).plaintext.bytes).toEqual(
      plaintext,
    );
  });

  it('catches up on scheduled work once unsealed', async () => {
    expect((await runDueWork(h.kms)).destroyed).toBe(1);
    expect((await describeKey(h.ctx, { keyId: doomed })).state).toBe('Destroyed');
  });

  it('is a no-op when already unsealed', async () => {
    await unsealKms(h.kms, await sealFile('root.key', false));
    expect(h.kms.keyring.sealed).toBe(false);
  });

  it('refuses to initialise twice (ALREADY_EXISTS) and keeps serving', async () => {
    const domainKeyId = h.kms.keyring.domainKeyId();
    expect(await errorCode(initializeKms(h.kms, await sealFile('root.key', false)))).toBe(
      'ALREADY_EXISTS',
    );
    const other = await sealFile('other-2.key', true);
    expect(await errorCode(initializeKms(h.kms, other))).toBe('ALREADY_EXISTS');
    expect(h.kms.keyring.domainKeyId()).toBe(domainKeyId);
    const back = await decrypt(h.ctx, { ciphertext, encryptionContext: { a: 'b' } });
    expect(back.plaintext.bytes).toEqual(plaintext);
  });

  it('seals and unseals again', async () => {
    sealKms(h.kms);
    expect(await errorCode(describeKey(h.ctx, { keyId: aes }))).toBe('SEALED');
    await unsealKms(h.kms, await sealFile('root.key', false));
    expect((await describeKey(h.ctx, { keyId: aes })).state).toBe('Enabled');
  });
});
