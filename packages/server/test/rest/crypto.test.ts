import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, makeApi, problemCode, unb64, type RestHarness } from './rest-harness.js';

let api: RestHarness;
let keyId: string;
beforeAll(async () => {
  api = await makeApi();
  keyId = String((await api.call('POST', '/keys', { alias: 'alias/enc' })).body.keyId);
});
afterAll(async () => {
  await api.close();
});

const context = { tenant: 't1' };

describe('encrypt, decrypt, re-encrypt', () => {
  it('round-trips base64 plaintext with an encryption context', async () => {
    const enc = await api.call('POST', '/keys/alias%2Fenc/encrypt', {
      plaintext: b64('secret'),
      encryptionContext: context,
    });
    expect(enc.status).toBe(200);
    expect(enc.body).toMatchObject({ keyId, keyVersion: 1, algorithm: 'SYMMETRIC_DEFAULT' });
    const dec = await api.call('POST', '/decrypt', {
      ciphertext: enc.body.ciphertext,
      encryptionContext: context,
    });
    expect(dec.status).toBe(200);
    expect(unb64(dec.body.plaintext).toString()).toBe('secret');
    expect(dec.body.keyId).toBe(keyId);
  });

  it('a wrong context or tampered ciphertext is 400 INVALID_CIPHERTEXT', async () => {
    const enc = await api.call('POST', `/keys/${keyId}/encrypt`, {
      plaintext: b64('x'),
      encryptionContext: context,
    });
    const wrong = await api.call('POST', '/decrypt', {
      ciphertext: enc.body.ciphertext,
      encryptionContext: { tenant: 't2' },
    });
    expect(wrong.status).toBe(400);
    expect(problemCode(wrong)).toBe('INVALID_CIPHERTEXT');
    const bytes = unb64(enc.body.ciphertext);
    bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 1;
    const tampered = await api.call('POST', '/decrypt', {
      ciphertext: b64(bytes),
      encryptionContext: context,
    });
    expect(problemCode(tampered)).toBe('INVALID_CIPHERTEXT');
  });

  it('re-encrypts under another key', async () => {
    const other = String((await api.call('POST', '/keys', {})).body.keyId);
    const enc = await api.call('POST', `/keys/${keyId}/encrypt`, { plaintext: b64('move me') });
    const re = await api.call('POST', '/re-encrypt', {
      ciphertext: enc.body.ciphertext,
      destinationKeyId: other,
      destinationEncryptionContext: context,
    });
    expect(re.status).toBe(200);
    expect(re.body).toMatchObject({ keyId: other, sourceKeyId: keyId, sourceKeyVersion: 1 });
    const dec = await api.call('POST', '/decrypt', {
      ciphertext: re.body.ciphertext,
      encryptionContext: context,
    });
    expect(unb64(dec.body.plaintext).toString()).toBe('move me');
  });

  it('encrypting with a signing key is 422 INVALID_KEY_USAGE', async () => {
    const signer = (await api.call('POST', '/keys', { spec: 'ECC_NIST_P256' })).body.keyId;
    const res = await api.call('POST', `/keys/${String(signer)}/encrypt`, { plaintext: b64('x') });
    expect(res.status).toBe(422);
    expect(problemCode(res)).toBe('INVALID_KEY_USAGE');
  });

  it('encrypting under an unknown key is 404 NOT_FOUND', async () => {
    const res = await api.call('POST', '/keys/alias%2Fmissing/encrypt', { plaintext: b64('x') });
    expect(res.status).toBe(404);
    expect(problemCode(res)).toBe('NOT_FOUND');
  });
});

describe('input validation on the encryption routes', () => {
  it('plaintext over the service limit (4 KiB) is INVALID_INPUT', async () => {
    const res = await api.call('POST', `/keys/${keyId}/encrypt`, {
      plaintext: b64(Buffer.alloc(4097, 1)),
    });
    expect(res.status).toBe(400);
    expect(problemCode(res)).toBe('INVALID_INPUT');
  });

  it('plaintext over the transport bound is refused before decoding, naming the field', async () => {
    const res = await api.call('POST', `/keys/${keyId}/encrypt`, {
      plaintext: 'A'.repeat(100_000),
    });
    expect(res.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body.plaintext' });
  });

  it('malformed base64 is INVALID_INPUT and the value is not echoed', async () => {
    const res = await api.call('POST', `/keys/${keyId}/encrypt`, { plaintext: 'not*base64!' });
    expect(res.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body.plaintext' });
    expect(res.raw.body).not.toContain('not*base64');
  });

  it('wrong types, missing fields and unknown fields are INVALID_INPUT', async () => {
    const wrongType = await api.call('POST', `/keys/${keyId}/encrypt`, { plaintext: 42 });
    expect(wrongType.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body.plaintext' });
    const badContext = await api.call('POST', `/keys/${keyId}/encrypt`, {
      plaintext: b64('x'),
      encryptionContext: { a: 1 },
    });
    expect(badContext.body).toMatchObject({ field: 'body.encryptionContext.a' });
    const missing = await api.call('POST', '/decrypt', {});
    expect(missing.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body.ciphertext' });
    const unknown = await api.call('POST', `/keys/${keyId}/encrypt`, {
      plaintext: b64('x'),
      encryptionContex: context,
    });
    expect(problemCode(unknown)).toBe('INVALID_INPUT');
  });

  it('malformed JSON is 400 problem+json without the body text', async () => {
    const raw = await api.app.inject({
      method: 'POST',
      url: `/api/v1/keys/${keyId}/encrypt`,
      headers: { 'content-type': 'application/json' },
      payload: '{"plaintext": "c2VjcmV0IHNlY3JldA==",',
    });
    expect(raw.statusCode).toBe(400);
    expect(raw.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(raw.json()).toMatchObject({ code: 'INVALID_INPUT', title: 'Malformed JSON' });
    expect(raw.body).not.toContain('c2VjcmV0');
  });

  it('a body over the server limit is 413 problem+json', async () => {
    const small = await makeApi({ bodyLimit: 2048 });
    try {
      const res = await small.call('POST', '/decrypt', { ciphertext: 'A'.repeat(4000) });
      expect(res.status).toBe(413);
      expect(problemCode(res)).toBe('INVALID_INPUT');
    } finally {
      await small.close();
    }
  });
});

describe('data keys and random', () => {
  it('generates a data key whose ciphertext decrypts to its plaintext', async () => {
    const res = await api.call('POST', `/keys/${keyId}/data-key`, {
      keySpec: 'AES_256',
      encryptionContext: context,
    });
    expect(res.status).toBe(200);
    expect(unb64(res.body.plaintext)).toHaveLength(32);
    const dec = await api.call('POST', '/decrypt', {
      ciphertext: res.body.ciphertext,
      encryptionContext: context,
    });
    expect(dec.body.plaintext).toBe(res.body.plaintext);
  });

  it('withPlaintext false leaves the plaintext out; both sizes at once is INVALID_INPUT', async () => {
    const res = await api.call('POST', `/keys/${keyId}/data-key`, {
      numberOfBytes: 16,
      withPlaintext: false,
    });
    expect(res.body).not.toHaveProperty('plaintext');
    expect(res.body.ciphertext).toEqual(expect.any(String));
    const both = await api.call('POST', `/keys/${keyId}/data-key`, {
      numberOfBytes: 16,
      keySpec: 'AES_128',
    });
    expect(problemCode(both)).toBe('INVALID_INPUT');
  });

  it('generates a data key pair', async () => {
    const res = await api.call('POST', `/keys/${keyId}/data-key-pair`, {
      keyPairSpec: 'ECC_NIST_P256',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ keyPairSpec: 'ECC_NIST_P256', keyId });
    expect(unb64(res.body.privateKeyPlaintext).length).toBeGreaterThan(0);
    expect(unb64(res.body.publicKey).length).toBeGreaterThan(0);
  });

  it('random bytes: the requested count; over 1024 is INVALID_INPUT', async () => {
    const res = await api.call('POST', '/random', { numberOfBytes: 24 });
    expect(unb64(res.body.random)).toHaveLength(24);
    expect(problemCode(await api.call('POST', '/random', { numberOfBytes: 5000 }))).toBe(
      'INVALID_INPUT',
    );
  });
});
