import {
  decryptCiphertext,
  keySpec,
  parseCiphertext,
  privateKeyFromPkcs8,
  publicKeyFromSpki,
  publicKeyOfPkcs8,
  rsaAesKeyUnwrap,
  rsaAesKeyWrap,
  rsaOaepDecrypt,
  sign as signLocally,
  verify as verifyLocally,
} from '@custos/crypto';
import { type KeyObject, generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  disableKey,
  encrypt,
  exportKey,
  getParametersForImport,
  getPublicKey,
  importKeyMaterial,
  rotateKey,
  scheduleKeyDeletion,
  sign,
  verify,
} from '../../src/service/index.js';
import { errorCode, makeKms, type KmsHarness } from '../support/kms-harness.js';

const message = Buffer.from('exported key material');

let h: KmsHarness;
let recipient: { publicKey: KeyObject; privateKey: KeyObject; spki: Buffer };
beforeAll(async () => {
  h = await makeKms();
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  recipient = { ...pair, spki: pair.publicKey.export({ format: 'der', type: 'spki' }) };
});
afterAll(async () => {
  await h.close();
});

describe('exportKey', () => {
  it('refuses keys not created exportable', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256' });
    expect(await errorCode(exportKey(h.ctx, { keyId, publicKey: recipient.spki }))).toBe(
      'UNSUPPORTED',
    );
  });

  it('wraps AES material with RSA-AES key wrap; the unwrapped key opens Custos ciphertexts', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256', exportable: true });
    const { ciphertext } = await encrypt(h.ctx, { keyId, plaintext: message });
    const out = await exportKey(h.ctx, { keyId, publicKey: recipient.spki });
    expect(out).toMatchObject({
      keyId,
      keyVersion: 1,
      spec: 'AES_256',
      wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
    });
    const material = rsaAesKeyUnwrap(recipient.privateKey, 'SHA-256', out.wrappedKeyMaterial);
    expect(decryptCiphertext(material.bytes, parseCiphertext(ciphertext))).toEqual(message);
    material.zero();
  });

  it('wraps AES material with RSAES_OAEP_SHA_256 to a PEM public key', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256', exportable: true });
    const { ciphertext } = await encrypt(h.ctx, { keyId, plaintext: message });
    const pem = recipient.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const out = await exportKey(h.ctx, {
      keyId,
      publicKey: pem,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
    });
    const material = rsaOaepDecrypt(recipient.privateKey, 'SHA-256', out.wrappedKeyMaterial);
    expect(decryptCiphertext(material, parseCiphertext(ciphertext))).toEqual(message);
  });

  it('exports an EC private key as PKCS#8 that signs as the key does', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'ECC_NIST_P256', exportable: true });
    const out = await exportKey(h.ctx, { keyId, publicKey: recipient.spki });
    const pkcs8 = rsaAesKeyUnwrap(recipient.privateKey, 'SHA-256', out.wrappedKeyMaterial);
    const { publicKey } = await getPublicKey(h.ctx, { keyId });
    expect(publicKeyOfPkcs8(pkcs8.bytes)).toEqual(publicKey);
    const request = {
      spec: keySpec('ECC_NIST_P256'),
      algorithm: 'ECDSA_SHA_256',
      messageType: 'RAW',
      message,
    } as const;
    const signature = signLocally(request, privateKeyFromPkcs8(pkcs8.bytes));
    const checked = await verify(h.ctx, { keyId, message, signature, algorithm: 'ECDSA_SHA_256' });
    expect(checked.valid).toBe(true);
    const theirs = await sign(h.ctx, { keyId, message, algorithm: 'ECDSA_SHA_256' });
    expect(verifyLocally(request, publicKeyFromSpki(publicKey), theirs.signature)).toBe(true);
    pkcs8.zero();
  });

  it('exports exactly the material that was imported into an exportable EXTERNAL key', async () => {
    const { keyId } = await createKey(h.ctx, {
      spec: 'AES_256',
      origin: 'EXTERNAL',
      exportable: true,
    });
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
    await importKeyMaterial(h.ctx, {
      keyId,
      importToken: params.importToken,
      encryptedKeyMaterial,
    });
    const out = await exportKey(h.ctx, { keyId, publicKey: recipient.spki });
    expect(rsaAesKeyUnwrap(recipient.privateKey, 'SHA-256', out.wrappedKeyMaterial).bytes).toEqual(
      material,
    );
  });

  it('exports a named version; an unknown version is NOT_FOUND', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256', exportable: true });
    await rotateKey(h.ctx, { keyId });
    const unwrap = (b: Buffer) => rsaAesKeyUnwrap(recipient.privateKey, 'SHA-256', b).bytes;
    const v1 = await exportKey(h.ctx, { keyId, keyVersion: 1, publicKey: recipient.spki });
    const v2 = await exportKey(h.ctx, { keyId, publicKey: recipient.spki });
    expect(v2.keyVersion).toBe(2);
    expect(unwrap(v1.wrappedKeyMaterial)).not.toEqual(unwrap(v2.wrappedKeyMaterial));
    expect(
      await errorCode(exportKey(h.ctx, { keyId, keyVersion: 3, publicKey: recipient.spki })),
    ).toBe('NOT_FOUND');
  });

  it('RSA private keys are too long for RSAES_OAEP_SHA_256 alone', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'RSA_2048', exportable: true });
    const input = {
      keyId,
      publicKey: recipient.spki,
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
    } as const;
    expect(await errorCode(exportKey(h.ctx, input))).toBe('INVALID_INPUT');
  });

  it('refuses wrapping keys that are not RSA of 2048 to 4096 bits', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256', exportable: true });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    for (const key of [ec, small]) {
      const publicKey = key.export({ format: 'der', type: 'spki' });
      expect(await errorCode(exportKey(h.ctx, { keyId, publicKey }))).toBe('INVALID_INPUT');
    }
    expect(await errorCode(exportKey(h.ctx, { keyId, publicKey: randomBytes(64) }))).toBe(
      'INVALID_INPUT',
    );
  });

  it('needs an Enabled key', async () => {
    const disabled = await createKey(h.ctx, { spec: 'AES_256', exportable: true });
    await disableKey(h.ctx, { keyId: disabled.keyId });
    expect(
      await errorCode(exportKey(h.ctx, { keyId: disabled.keyId, publicKey: recipient.spki })),
    ).toBe('KEY_DISABLED');
    const pending = await createKey(h.ctx, { spec: 'AES_256', exportable: true });
    await scheduleKeyDeletion(h.ctx, { keyId: pending.keyId });
    expect(
      await errorCode(exportKey(h.ctx, { keyId: pending.keyId, publicKey: recipient.spki })),
    ).toBe('KEY_PENDING_DELETION');
  });

  it('is denied to principals without the right', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'AES_256', exportable: true });
    const ctx = h.as({ id: 'user/mallory', kind: 'user', policies: [] });
    expect(await errorCode(exportKey(ctx, { keyId, publicKey: recipient.spki }))).toBe(
      'ACCESS_DENIED',
    );
  });
});
