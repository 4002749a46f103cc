import {
  type KeySpecName,
  decryptCiphertext,
  generateKeyMaterial,
  hmac,
  keySpec,
  parseCiphertext,
  privateKeyFromPkcs8,
  publicKeyFromSpki,
  publicKeyOfPkcs8,
  rsaAesKeyWrap,
  rsaOaepEncrypt,
  sign as signLocally,
  verify as verifyLocally,
} from '@custos/crypto';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINGERPRINT_ATTRIBUTE } from '../../src/service/import-material.js';
import {
  type CreateKeyInput,
  type ExpirationModel,
  type WrappingAlgorithm,
  createKey,
  decrypt,
  deleteImportedKeyMaterial,
  describeKey,
  disableKey,
  encrypt,
  generateMac,
  getParametersForImport,
  importKeyMaterial,
  runDueWork,
  scheduleKeyDeletion,
  sign,
  verify,
  verifyMac,
} from '../../src/service/index.js';
import { errorCode, makeKms, type KmsHarness } from '../support/kms-harness.js';

const DAY = 86_400_000;
const message = Buffer.from('imported key material');

let h: KmsHarness;
beforeAll(async () => {
  h = await makeKms();
});
afterAll(async () => {
  await h.close();
});

async function externalKey(spec: KeySpecName, extra: CreateKeyInput = {}): Promise<string> {
  return (await createKey(h.ctx, { spec, origin: 'EXTERNAL', ...extra })).keyId;
}

/** What the importer does: fetch parameters, wrap the material to the public key. */
async function wrapForImport(
  keyId: string,
  material: Uint8Array,
  algorithm: WrappingAlgorithm = 'RSA_AES_KEY_WRAP_SHA_256',
): Promise<{ importToken: Buffer; encryptedKeyMaterial: Buffer }> {
  const params = await getParametersForImport(h.ctx, {
    keyId,
    wrappingAlgorithm: algorithm,
    wrappingKeySpec: 'RSA_2048',
  });
  const publicKey = publicKeyFromSpki(params.publicKey);
  const hash = algorithm.endsWith('SHA_1') ? 'SHA-1' : 'SHA-256';
  const encryptedKeyMaterial = algorithm.startsWith('RSAES_OAEP')
    ? rsaOaepEncrypt(publicKey, hash, material)
    : rsaAesKeyWrap(publicKey, hash, material);
  return { importToken: params.importToken, encryptedKeyMaterial };
}

async function importInto(
  keyId: string,
  material: Uint8Array,
  algorithm?: WrappingAlgorithm,
  expiry: { expirationModel?: ExpirationModel; validTo?: Date } = {},
) {
  return importKeyMaterial(h.ctx, {
    keyId,
    ...(await wrapForImport(keyId, material, algorithm)),
    ...expiry,
  });
}

/** Everything a failed operation must leave as it was. */
async function snapshot(keyId: string) {
  return { view: await describeKey(h.ctx, { keyId }), versions: await h.store.getVersions(keyId) };
}

describe('getParametersForImport', () => {
  it('hands out an RSA public key of the requested size and a token valid for the configured time', async () => {
    const keyId = await externalKey('AES_256');
    const params = await getParametersForImport(h.ctx, {
      keyId,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_3072',
    });
    const publicKey = publicKeyFromSpki(params.publicKey);
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(params.importToken).toHaveLength(16);
    expect(params.parametersValidTo).toEqual(
      new Date(h.clock.now().getTime() + h.kms.config.importTokenTtlMs),
    );
  });

  it('refuses keys whose material Custos generates', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256' });
    expect(
      await errorCode(
        getParametersForImport(h.ctx, {
          keyId,
          wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          wrappingKeySpec: 'RSA_2048',
        }),
      ),
    ).toBe('UNSUPPORTED');
  });

  it('refuses keys pending deletion', async () => {
    const keyId = await externalKey('AES_256');
    await scheduleKeyDeletion(h.ctx, { keyId, pendingWindowDays: 7 });
    expect(
      await errorCode(
        getParametersForImport(h.ctx, {
          keyId,
          wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          wrappingKeySpec: 'RSA_2048',
        }),
      ),
    ).toBe('INVALID_STATE');
  });

  it('refuses unknown wrapping algorithms and key specs', async () => {
    const keyId = await externalKey('AES_256');
    const bad = { keyId, wrappingAlgorithm: 'RSAES_PKCS1_V1_5', wrappingKeySpec: 'RSA_2048' };
    expect(await errorCode(getParametersForImport(h.ctx, bad as never))).toBe('INVALID_INPUT');
    const small = { keyId, wrappingAlgorithm: 'RSAES_OAEP_SHA_256', wrappingKeySpec: 'RSA_1024' };
    expect(await errorCode(getParametersForImport(h.ctx, small as never))).toBe('INVALID_INPUT');
  });

  it('is denied to principals without the right', async () => {
    const keyId = await externalKey('AES_256');
    const ctx = h.as({ id: 'user/mallory', kind: 'user', policies: [] });
    const input = {
      keyId,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      wrappingKeySpec: 'RSA_2048',
    } as const;
    expect(await errorCode(getParametersForImport(ctx, input))).toBe('ACCESS_DENIED');
  });
});

describe('import round trip', () => {
  it.each(['RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_256'] as const)(
    'imports AES_256 material with %s; encrypt and decrypt then use it',
    async (algorithm) => {
      const keyId = await externalKey('AES_256');
      expect(await errorCode(encrypt(h.ctx, { keyId, plaintext: message }))).toBe(
        'KEY_PENDING_IMPORT',
      );
      const material = randomBytes(32);
      const view = await importInto(keyId, material, algorithm);
      expect(view).toMatchObject({ state: 'Enabled', primaryVersion: 1, materialExpiresAt: null });
      expect(view.versions).toHaveLength(1);
      const { ciphertext } = await encrypt(h.ctx, { keyId, plaintext: message });
      // The imported bytes themselves are the key: the ciphertext opens with them outside Custos.
      expect(decryptCiphertext(material, parseCiphertext(ciphertext))).toEqual(message);
      const out = await decrypt(h.ctx, { ciphertext });
      expect(out.plaintext.bytes).toEqual(message);
    },
  );

  it('imports HMAC material as long as the hash block size; generateMac uses it', async () => {
    const keyId = await externalKey('HMAC_256');
    const material = randomBytes(64);
    await importInto(keyId, material, 'RSAES_OAEP_SHA_1');
    const { mac } = await generateMac(h.ctx, { keyId, message, algorithm: 'HMAC_SHA_256' });
    expect(mac).toEqual(hmac('SHA-256', material, message));
    const checked = await verifyMac(h.ctx, { keyId, message, mac, algorithm: 'HMAC_SHA_256' });
    expect(checked.valid).toBe(true);
  });

  it('imports an ECC_NIST_P256 private key; signatures verify with its public key', async () => {
    const keyId = await externalKey('ECC_NIST_P256');
    const material = generateKeyMaterial(keySpec('ECC_NIST_P256'));
    await importInto(keyId, material.bytes, 'RSA_AES_KEY_WRAP_SHA_1');
    const { signature } = await sign(h.ctx, { keyId, message, algorithm: 'ECDSA_SHA_256' });
    const request = {
      spec: keySpec('ECC_NIST_P256'),
      algorithm: 'ECDSA_SHA_256',
      messageType: 'RAW',
      message,
    } as const;
    expect(
      verifyLocally(request, publicKeyFromSpki(publicKeyOfPkcs8(material.bytes)), signature),
    ).toBe(true);
    const mine = signLocally(request, privateKeyFromPkcs8(material.bytes));
    const checked = await verify(h.ctx, {
      keyId,
      message,
      signature: mine,
      algorithm: 'ECDSA_SHA_256',
    });
    expect(checked.valid).toBe(true);
    material.zero();
  });

  it('imports an RSA_2048 private key with the RSA-AES key wrap; sign and verify use it', async () => {
    const keyId = await externalKey('RSA_2048', { usage: 'SIGN_VERIFY' });
    const material = generateKeyMaterial(keySpec('RSA_2048'));
    await importInto(keyId, material.bytes, 'RSA_AES_KEY_WRAP_SHA_256');
    const algorithm = 'RSASSA_PSS_SHA_256';
    const { signature } = await sign(h.ctx, { keyId, message, algorithm });
    expect((await verify(h.ctx, { keyId, message, signature, algorithm })).valid).toBe(true);
    const request = { spec: keySpec('RSA_2048'), algorithm, messageType: 'RAW', message } as const;
    expect(
      verifyLocally(request, publicKeyFromSpki(publicKeyOfPkcs8(material.bytes)), signature),
    ).toBe(true);
    material.zero();
  });

  it('keeps the first material a fingerprint, never the material itself', async () => {
    const keyId = await externalKey('AES_256');
    const material = randomBytes(32);
    await importInto(keyId, material);
    const key = await h.store.getKey(keyId);
    const fingerprint = key?.attributes[FINGERPRINT_ATTRIBUTE];
    expect(fingerprint).toBeDefined();
    expect(Buffer.from(fingerprint ?? '', 'base64').includes(material)).toBe(false);
  });
});

describe('import failures leave the key unchanged', () => {
  it('an expired token is EXPIRED_IMPORT_TOKEN', async () => {
    const keyId = await externalKey('AES_256');
    const wrapped = await wrapForImport(keyId, randomBytes(32));
    h.clock.advance(h.kms.config.importTokenTtlMs);
    const before = await snapshot(keyId);
    expect(await errorCode(importKeyMaterial(h.ctx, { keyId, ...wrapped }))).toBe(
      'EXPIRED_IMPORT_TOKEN',
    );
    expect(await snapshot(keyId)).toEqual(before);
  });

  it("another key's token is INVALID_IMPORT_TOKEN", async () => {
    const keyId = await externalKey('AES_256');
    const other = await externalKey('AES_256');
    const wrapped = await wrapForImport(other, randomBytes(32));
    const before = await snapshot(keyId);
    expect(await errorCode(importKeyMaterial(h.ctx, { keyId, ...wrapped }))).toBe(
      'INVALID_IMPORT_TOKEN',
    );
    expect(await snapshot(keyId)).toEqual(before);
  });

  it('unknown and malformed tokens are INVALID_IMPORT_TOKEN', async () => {
    const keyId = await externalKey('AES_256');
    const { encryptedKeyMaterial } = await wrapForImport(keyId, randomBytes(32));
    for (const importToken of [randomBytes(16), randomBytes(5), Buffer.alloc(0)]) {
      expect(
        await errorCode(importKeyMaterial(h.ctx, { keyId, importToken, encryptedKeyMaterial })),
      ).toBe('INVALID_IMPORT_TOKEN');
    }
  });

  it('a used token cannot be used again', async () => {
    const keyId = await externalKey('AES_256');
    const wrapped = await wrapForImport(keyId, randomBytes(32));
    await importKeyMaterial(h.ctx, { keyId, ...wrapped });
    expect(await errorCode(importKeyMaterial(h.ctx, { keyId, ...wrapped }))).toBe(
      'INVALID_IMPORT_TOKEN',
    );
  });

  it.each(['RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_256'] as const)(
    'garbage wrapped material is INVALID_CIPHERTEXT (%s), and the token stays usable',
    async (algorithm) => {
      const keyId = await externalKey('AES_256');
      const material = randomBytes(32);
      const wrapped = await wrapForImport(keyId, material, algorithm);
      const before = await snapshot(keyId);
      const garbage = { importToken: wrapped.importToken, encryptedKeyMaterial: randomBytes(300) };
      expect(await errorCode(importKeyMaterial(h.ctx, { keyId, ...garbage }))).toBe(
        'INVALID_CIPHERTEXT',
      );
      const flipped = Buffer.from(wrapped.encryptedKeyMaterial);
      flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
      const tampered = { importToken: wrapped.importToken, encryptedKeyMaterial: flipped };
      expect(await errorCode(importKeyMaterial(h.ctx, { keyId, ...tampered }))).toBe(
        'INVALID_CIPHERTEXT',
      );
      expect(await snapshot(keyId)).toEqual(before);
      expect((await importKeyMaterial(h.ctx, { keyId, ...wrapped })).state).toBe('Enabled');
    },
  );

  it.each([
    ['AES_256', randomBytes(16)],
    ['AES_256', randomBytes(33)],
    ['HMAC_256', randomBytes(31)],
    ['HMAC_256', randomBytes(65)],
    ['HMAC_512', randomBytes(63)],
    ['HMAC_384', randomBytes(129)],
    ['ECC_NIST_P256', randomBytes(138)],
    ['ECC_NIST_P256', generateKeyMaterial(keySpec('ECC_NIST_P384')).bytes],
    ['RSA_2048', generateKeyMaterial(keySpec('ECC_NIST_P256')).bytes],
  ] as const)('%s material of the wrong form is INCORRECT_KEY_MATERIAL', async (spec, material) => {
    const keyId = await externalKey(spec);
    const wrapped = await wrapForImport(keyId, material);
    const before = await snapshot(keyId);
    expect(await errorCode(importKeyMaterial(h.ctx, { keyId, ...wrapped }))).toBe(
      'INCORRECT_KEY_MATERIAL',
    );
    expect(await snapshot(keyId)).toEqual(before);
  });

  it('validTo is checked against the expiration model', async () => {
    const keyId = await externalKey('AES_256');
    const wrapped = await wrapForImport(keyId, randomBytes(32));
    const now = h.clock.now().getTime();
    const cases = [
      { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', validTo: new Date(now + DAY) },
      { expirationModel: 'KEY_MATERIAL_EXPIRES' },
      { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: new Date(now - 1) },
      { expirationModel: 'KEY_MATERIAL_EXPIRES', validTo: new Date(now + 366 * DAY) },
      { expirationModel: 'SOMETIMES' },
    ] as const;
    const before = await snapshot(keyId);
    for (const expiry of cases) {
      const input = { keyId, ...wrapped, ...expiry } as Parameters<typeof importKeyMaterial>[1];
      expect(await errorCode(importKeyMaterial(h.ctx, input))).toBe('INVALID_INPUT');
    }
    expect(await snapshot(keyId)).toEqual(before);
  });

  it('keys whose material Custos generates take no import', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256' });
    const other = await externalKey('AES_256');
    const wrapped = await wrapForImport(other, randomBytes(32));
    expect(await errorCode(importKeyMaterial(h.ctx, { keyId, ...wrapped }))).toBe('UNSUPPORTED');
    expect(await errorCode(deleteImportedKeyMaterial(h.ctx, { keyId }))).toBe('UNSUPPORTED');
  });

  it('is denied to principals without the right', async () => {
    const keyId = await externalKey('AES_256');
    const wrapped = await wrapForImport(keyId, randomBytes(32));
    const ctx = h.as({ id: 'user/mallory', kind: 'user', policies: [] });
    expect(await errorCode(importKeyMaterial(ctx, { keyId, ...wrapped }))).toBe('ACCESS_DENIED');
    expect(await errorCode(deleteImportedKeyMaterial(ctx, { keyId }))).toBe('ACCESS_DENIED');
  });
});

describe('re-import', () => {
  it('after deleteImportedKeyMaterial only the same material is accepted, and old ciphertexts decrypt again', async () => {
    const keyId = await externalKey('AES_256');
    const material = randomBytes(32);
    await importInto(keyId, material);
    const { ciphertext } = await encrypt(h.ctx, { keyId, plaintext: message });

    const erased = await deleteImportedKeyMaterial(h.ctx, { keyId });
    expect(erased.state).toBe('PendingImport');
    expect((await h.store.getVersions(keyId)).map((v) => v.wrappedMaterial)).toEqual([null]);
    expect(await errorCode(decrypt(h.ctx, { ciphertext }))).toBe('KEY_PENDING_IMPORT');

    const before = await snapshot(keyId);
    expect(await errorCode(importInto(keyId, randomBytes(32)))).toBe('INCORRECT_KEY_MATERIAL');
    expect(await snapshot(keyId)).toEqual(before);

    const view = await importInto(keyId, material, 'RSAES_OAEP_SHA_1');
    expect(view).toMatchObject({ state: 'Enabled', primaryVersion: 1 });
    expect(view.versions).toHaveLength(1);
    expect((await decrypt(h.ctx, { ciphertext })).plaintext.bytes).toEqual(message);
  });

  it('an asymmetric key takes back only the same private key', async () => {
    const keyId = await externalKey('ECC_NIST_P256');
    const material = generateKeyMaterial(keySpec('ECC_NIST_P256'));
    await importInto(keyId, material.bytes);
    const { signature } = await sign(h.ctx, { keyId, message, algorithm: 'ECDSA_SHA_256' });
    await deleteImportedKeyMaterial(h.ctx, { keyId });
    const other = generateKeyMaterial(keySpec('ECC_NIST_P256'));
    expect(await errorCode(importInto(keyId, other.bytes))).toBe('INCORRECT_KEY_MATERIAL');
    await importInto(keyId, material.bytes);
    expect(
      (await verify(h.ctx, { keyId, message, signature, algorithm: 'ECDSA_SHA_256' })).valid,
    ).toBe(true);
    material.zero();
    other.zero();
  });

  it('re-importing the same material changes the expiry; a disabled key stays disabled', async () => {
    const keyId = await externalKey('AES_256');
    const material = randomBytes(32);
    const validTo = new Date(h.clock.now().getTime() + 10 * DAY);
    const first = await importInto(keyId, material, undefined, {
      expirationModel: 'KEY_MATERIAL_EXPIRES',
      validTo,
    });
    expect(first.materialExpiresAt).toEqual(validTo);
    await disableKey(h.ctx, { keyId });
    const again = await importInto(keyId, material);
    expect(again).toMatchObject({ state: 'Disabled', materialExpiresAt: null });
  });

  it('deleting material from a key that has none changes nothing', async () => {
    const keyId = await externalKey('AES_256');
    const before = await snapshot(keyId);
    expect((await deleteImportedKeyMaterial(h.ctx, { keyId })).state).toBe('PendingImport');
    expect(await snapshot(keyId)).toEqual(before);
  });
});

describe('material expiry', () => {
  it('the scheduler erases expired material: the key is PendingImport until re-import', async () => {
    const keyId = await externalKey('AES_256');
    const material = randomBytes(32);
    const validTo = new Date(h.clock.now().getTime() + 2 * DAY);
    await importInto(keyId, material, 'RSA_AES_KEY_WRAP_SHA_1', {
      expirationModel: 'KEY_MATERIAL_EXPIRES',
      validTo,
    });
    const { ciphertext } = await encrypt(h.ctx, { keyId, plaintext: message });

    h.clock.advance(DAY);
    await runDueWork(h.kms);
    expect((await describeKey(h.ctx, { keyId })).state).toBe('Enabled');

    h.clock.advance(DAY);
    const work = await runDueWork(h.kms);
    expect(work.expired).toBeGreaterThanOrEqual(1);
    expect(await describeKey(h.ctx, { keyId })).toMatchObject({
      state: 'PendingImport',
      materialExpiresAt: null,
    });
    expect(await errorCode(encrypt(h.ctx, { keyId, plaintext: message }))).toBe(
      'KEY_PENDING_IMPORT',
    );

    await importInto(keyId, material);
    expect((await decrypt(h.ctx, { ciphertext })).plaintext.bytes).toEqual(message);
  });
});
