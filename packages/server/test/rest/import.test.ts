import { publicKeyFromSpki, rsaAesKeyWrap, rsaOaepEncrypt } from '@custos/crypto';
import { generateKeyPairSync, privateDecrypt, constants, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKms, type KmsHarness } from '../support/kms-harness.js';
import {
  b64,
  call,
  makeApi,
  mountApi,
  problemCode,
  unb64,
  type RestHarness,
} from './rest-harness.js';

let api: RestHarness;
beforeAll(async () => {
  api = await makeApi();
});
afterAll(async () => {
  await api.close();
});

async function externalKey(): Promise<string> {
  return String((await api.call('POST', '/keys', { origin: 'EXTERNAL' })).body.keyId);
}

async function wrapForImport(keyId: string, material: Buffer, algorithm: string) {
  const params = await api.call('POST', `/keys/${keyId}/import-parameters`, {
    wrappingAlgorithm: algorithm,
    wrappingKeySpec: 'RSA_2048',
  });
  expect(params.status).toBe(200);
  expect(Date.parse(String(params.body.parametersValidTo))).toBeGreaterThan(0);
  const publicKey = publicKeyFromSpki(unb64(params.body.publicKey));
  const encrypted = algorithm.startsWith('RSAES_OAEP')
    ? rsaOaepEncrypt(publicKey, 'SHA-256', material)
    : rsaAesKeyWrap(publicKey, 'SHA-256', material);
  return { importToken: String(params.body.importToken), encryptedKeyMaterial: b64(encrypted) };
}

describe('import', () => {
  it('imports wrapped AES material; the key then encrypts; deleting it waits for a new import', async () => {
    const keyId = await externalKey();
    const wrapped = await wrapForImport(keyId, randomBytes(32), 'RSAES_OAEP_SHA_256');
    const imported = await api.call('POST', `/keys/${keyId}/import`, wrapped);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ state: 'Enabled', origin: 'EXTERNAL' });
    const enc = await api.call('POST', `/keys/${keyId}/encrypt`, { plaintext: b64('hi') });
    expect(enc.status).toBe(200);
    const deleted = await api.call('DELETE', `/keys/${keyId}/material`);
    expect(deleted.body.state).toBe('PendingImport');
    const refused = await api.call('POST', `/keys/${keyId}/encrypt`, { plaintext: b64('hi') });
    expect(problemCode(refused)).toBe('KEY_PENDING_IMPORT');
  });

  it('imports with an expiry date given as RFC 3339', async () => {
    const keyId = await externalKey();
    const wrapped = await wrapForImport(keyId, randomBytes(32), 'RSA_AES_KEY_WRAP_SHA_256');
    const validTo = new Date(api.h.clock.now().getTime() + 10 * 86_400_000).toISOString();
    const res = await api.call('POST', `/keys/${keyId}/import`, {
      ...wrapped,
      expirationModel: 'KEY_MATERIAL_EXPIRES',
      validTo,
    });
    expect(res.body.materialExpiresAt).toBe(validTo);
  });

  it('a token for another key is INVALID_IMPORT_TOKEN; a bad date INVALID_INPUT', async () => {
    const first = await externalKey();
    const second = await externalKey();
    const wrapped = await wrapForImport(first, randomBytes(32), 'RSAES_OAEP_SHA_256');
    const res = await api.call('POST', `/keys/${second}/import`, wrapped);
    expect(res.status).toBe(400);
    expect(problemCode(res)).toBe('INVALID_IMPORT_TOKEN');
    const badDate = await api.call('POST', `/keys/${first}/import`, {
      ...wrapped,
      validTo: 'tomorrow',
    });
    expect(badDate.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body.validTo' });
  });
});

describe('export', () => {
  const recipient = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('exports an exportable key wrapped to a base64 DER or PEM public key', async () => {
    const keyId = String(
      (await api.call('POST', '/keys', { spec: 'HMAC_256', exportable: true })).body.keyId,
    );
    const der = recipient.publicKey.export({ format: 'der', type: 'spki' });
    const res = await api.call('POST', `/keys/${keyId}/export`, {
      publicKey: b64(der),
      wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
    });
    expect(res.status).toBe(200);
    const material = privateDecrypt(
      { key: recipient.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      unb64(res.body.wrappedKeyMaterial),
    );
    expect(material).toHaveLength(32);
    const pem = recipient.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const viaPem = await api.call('POST', `/keys/${keyId}/export`, { publicKey: pem });
    expect(viaPem.body).toMatchObject({ keyId, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256' });
  });

  it('a key that is not exportable is 422 UNSUPPORTED', async () => {
    const keyId = String((await api.call('POST', '/keys', {})).body.keyId);
    const der = recipient.publicKey.export({ format: 'der', type: 'spki' });
    const res = await api.call('POST', `/keys/${keyId}/export`, { publicKey: b64(der) });
    expect(res.status).toBe(422);
    expect(problemCode(res)).toBe('UNSUPPORTED');
  });
});

describe('backup and restore', () => {
  let other: KmsHarness | undefined;
  afterAll(async () => {
    await other?.close();
  });

  it('backs a key up; restoring it where it exists is 409 ALREADY_EXISTS', async () => {
    const keyId = String((await api.call('POST', '/keys', {})).body.keyId);
    const backup = await api.call('POST', `/keys/${keyId}/backup`);
    expect(backup.body.keyId).toBe(keyId);
    const res = await api.call('POST', '/keys/restore', { backup: backup.body.backup });
    expect(res.status).toBe(409);
    expect(problemCode(res)).toBe('ALREADY_EXISTS');
  });

  it('a server with another domain key cannot restore it: INVALID_CIPHERTEXT', async () => {
    const keyId = String((await api.call('POST', '/keys', {})).body.keyId);
    const backup = await api.call('POST', `/keys/${keyId}/backup`);
    other = await makeKms();
    const app = await mountApi(other.kms);
    try {
      const res = await call(app, 'POST', '/keys/restore', { backup: backup.body.backup });
      expect(problemCode(res)).toBe('INVALID_CIPHERTEXT');
    } finally {
      await app.close();
    }
  });
});
