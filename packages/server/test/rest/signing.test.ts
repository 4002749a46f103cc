import { createHash, createPublicKey, verify as verifyLocally } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, makeApi, problemCode, unb64, type RestHarness } from './rest-harness.js';

let api: RestHarness;
beforeAll(async () => {
  api = await makeApi();
});
afterAll(async () => {
  await api.close();
});

async function newKey(spec: string, usage?: string): Promise<string> {
  return String((await api.call('POST', '/keys', { spec, usage })).body.keyId);
}

const message = b64('signed message');

describe('sign and verify', () => {
  it('signs; the signature verifies here and with the exported public key', async () => {
    const keyId = await newKey('ECC_NIST_P256');
    const signed = await api.call('POST', `/keys/${keyId}/sign`, {
      message,
      algorithm: 'ECDSA_SHA_256',
    });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ keyId, keyVersion: 1, algorithm: 'ECDSA_SHA_256' });
    const ok = await api.call('POST', `/keys/${keyId}/verify`, {
      message,
      signature: signed.body.signature,
      algorithm: 'ECDSA_SHA_256',
    });
    expect(ok.body).toMatchObject({ valid: true, keyVersion: 1 });
    const pem = await api.call('GET', `/keys/${keyId}/public-key?format=pem`);
    const publicKey = createPublicKey(String(pem.body.publicKey));
    expect(verifyLocally('sha256', unb64(message), publicKey, unb64(signed.body.signature))).toBe(
      true,
    );
  });

  it('a wrong signature is valid: false with keyVersion null', async () => {
    const keyId = await newKey('ED25519');
    const signed = await api.call('POST', `/keys/${keyId}/sign`, {
      message,
      algorithm: 'ED25519_SHA_512',
    });
    const bad = unb64(signed.body.signature);
    bad[0] = (bad[0] ?? 0) ^ 1;
    const res = await api.call('POST', `/keys/${keyId}/verify`, {
      message,
      signature: b64(bad),
      algorithm: 'ED25519_SHA_512',
    });
    expect(res.body).toMatchObject({ valid: false, keyVersion: null });
  });

  it('signs a digest with messageType DIGEST', async () => {
    const keyId = await newKey('RSA_2048', 'SIGN_VERIFY');
    const digest = createHash('sha256').update('doc').digest();
    const res = await api.call('POST', `/keys/${keyId}/sign`, {
      message: b64(digest),
      messageType: 'DIGEST',
      algorithm: 'RSASSA_PSS_SHA_256',
    });
    expect(res.status).toBe(200);
  });

  it('an algorithm outside the enum, or one the key cannot do, is INVALID_INPUT', async () => {
    const keyId = await newKey('ECC_NIST_P256');
    const unknown = await api.call('POST', `/keys/${keyId}/sign`, { message, algorithm: 'MD5' });
    expect(unknown.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body.algorithm' });
    const wrong = await api.call('POST', `/keys/${keyId}/sign`, {
      message,
      algorithm: 'RSASSA_PSS_SHA_256',
    });
    expect(problemCode(wrong)).toBe('INVALID_INPUT');
  });

  it('signing with an encryption key is 422 INVALID_KEY_USAGE', async () => {
    const keyId = await newKey('AES_256');
    const res = await api.call('POST', `/keys/${keyId}/sign`, {
      message,
      algorithm: 'ECDSA_SHA_256',
    });
    expect(res.status).toBe(422);
    expect(problemCode(res)).toBe('INVALID_KEY_USAGE');
  });
});

describe('MACs', () => {
  it('generates and verifies an HMAC', async () => {
    const keyId = await newKey('HMAC_256');
    const mac = await api.call('POST', `/keys/${keyId}/mac`, {
      message,
      algorithm: 'HMAC_SHA_256',
    });
    expect(mac.status).toBe(200);
    expect(unb64(mac.body.mac)).toHaveLength(32);
    const ok = await api.call('POST', `/keys/${keyId}/verify-mac`, {
      message,
      mac: mac.body.mac,
      algorithm: 'HMAC_SHA_256',
    });
    expect(ok.body).toMatchObject({ valid: true, keyVersion: 1 });
    const bad = await api.call('POST', `/keys/${keyId}/verify-mac`, {
      message: b64('other'),
      mac: mac.body.mac,
      algorithm: 'HMAC_SHA_256',
    });
    expect(bad.body).toMatchObject({ valid: false, keyVersion: null });
  });
});

describe('GET /keys/{key}/public-key', () => {
  it('answers der (base64), pem and jwk', async () => {
    const keyId = await newKey('ECC_NIST_P384');
    const der = await api.call('GET', `/keys/${keyId}/public-key`);
    expect(der.body).toMatchObject({ keyId, keyVersion: 1, spec: 'ECC_NIST_P384' });
    const fromDer = createPublicKey({
      key: unb64(der.body.publicKey),
      format: 'der',
      type: 'spki',
    });
    expect(fromDer.asymmetricKeyType).toBe('ec');
    const jwk = await api.call('GET', `/keys/${keyId}/public-key?format=jwk&version=1`);
    expect(jwk.body.publicKey).toMatchObject({ kty: 'EC', crv: 'P-384' });
    const bad = await api.call('GET', `/keys/${keyId}/public-key?format=xml`);
    expect(bad.body).toMatchObject({ code: 'INVALID_INPUT', field: 'query.format' });
  });

  it('a symmetric key has none: 422 UNSUPPORTED; a missing version is 404', async () => {
    const aes = await newKey('AES_256');
    const res = await api.call('GET', `/keys/${aes}/public-key`);
    expect(res.status).toBe(422);
    expect(problemCode(res)).toBe('UNSUPPORTED');
    const ec = await newKey('ECC_NIST_P256');
    expect(problemCode(await api.call('GET', `/keys/${ec}/public-key?version=5`))).toBe(
      'NOT_FOUND',
    );
  });
});
