import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppHarness, startTestApp } from './app-harness.js';

/**
 * Runs requests that carry every kind of secret through a whole server
 * logging at `trace`, then searches every log line for each secret in every
 * encoding it travelled in. Failing requests are included: error paths are
 * where a body or header most easily slips into a log.
 */
let server: AppHarness;
const secrets = new Map<string, string>();
/** Not a secret, and in request paths: proves the search can find what is there. */
let keyId = '';

/** Remembers a secret in the forms a log could show it: as sent, base64, hex. */
function secret(name: string, value: string | Buffer): void {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (typeof value === 'string') secrets.set(name, value);
  secrets.set(`${name} (base64)`, bytes.toString('base64'));
  secrets.set(`${name} (base64url)`, bytes.toString('base64url'));
  secrets.set(`${name} (hex)`, bytes.toString('hex'));
}

beforeAll(async () => {
  server = await startTestApp({ logging: { level: 'trace' } });
  const { call } = server;
  secret('root token', server.rootToken);

  // A principal and a token of its own, used once.
  expect((await call('POST', '/api/v1/principals', { body: { id: 'user/app' } })).status).toBe(201);
  const created = await call('POST', '/api/v1/tokens', { body: { principal: 'user/app' } });
  expect(created.status).toBe(201);
  secret('issued token', String(created.body.token));
  expect(
    (await call('GET', '/api/v1/tokens/self', { token: String(created.body.token) })).status,
  ).toBe(200);

  // Encrypt and decrypt a distinctive plaintext.
  const key = await call('POST', '/api/v1/keys', { body: { spec: 'AES_256' } });
  keyId = String(key.body.keyId);
  const plaintext = `CANARY-PLAINTEXT-${randomBytes(8).toString('hex')}`;
  secret('plaintext', plaintext);
  const plaintextB64 = Buffer.from(plaintext).toString('base64');
  const encrypted = await call('POST', `/api/v1/keys/${keyId}/encrypt`, {
    body: { plaintext: plaintextB64, encryptionContext: { purpose: 'log-test' } },
  });
  expect(encrypted.status).toBe(200);
  const decrypted = await call('POST', '/api/v1/decrypt', {
    body: { ciphertext: encrypted.body.ciphertext, encryptionContext: { purpose: 'log-test' } },
  });
  expect(decrypted.body.plaintext).toBe(plaintextB64);

  // Data keys and data key pairs with plaintext.
  const dataKey = await call('POST', `/api/v1/keys/${keyId}/data-key`, {
    body: { keySpec: 'AES_256' },
  });
  expect(dataKey.status).toBe(200);
  secret('data key', Buffer.from(String(dataKey.body.plaintext), 'base64'));
  const pair = await call('POST', `/api/v1/keys/${keyId}/data-key-pair`, {
    body: { keyPairSpec: 'ECC_NIST_P256' },
  });
  expect(pair.status).toBe(200);
  secret('data key pair private key', Buffer.from(String(pair.body.privateKeyPlaintext), 'base64'));

  // Import parameters, and key material wrapped to them.
  const external = await call('POST', '/api/v1/keys', { body: { origin: 'EXTERNAL' } });
  const externalId = String(external.body.keyId);
  const parameters = await call('POST', `/api/v1/keys/${externalId}/import-parameters`, {
    body: { wrappingAlgorithm: 'RSAES_OAEP_SHA_256', wrappingKeySpec: 'RSA_2048' },
  });
  expect(parameters.status).toBe(200);
  secret('import token', Buffer.from(String(parameters.body.importToken), 'base64'));
  const material = randomBytes(32);
  secret('imported key material', material);
  const wrappingKey = createPublicKey({
    key: Buffer.from(String(parameters.body.publicKey), 'base64'),
    format: 'der',
    type: 'spki',
  });
  const wrapped = publicEncrypt(
    { key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    material,
  );
  const imported = await call('POST', `/api/v1/keys/${externalId}/import`, {
    body: {
      importToken: parameters.body.importToken,
      encryptedKeyMaterial: wrapped.toString('base64'),
    },
  });
  expect(imported.status).toBe(200);

  // Failures carrying secrets: bad tokens, malformed and invalid bodies.
  const badToken = `cus_CANARYBADTOKEN${randomBytes(12).toString('hex')}`;
  secret('rejected token', badToken);
  expect((await call('GET', '/api/v1/keys', { token: badToken })).status).toBe(401);
  expect(
    (
      await call('GET', '/api/v1/keys', {
        token: null,
        headers: { authorization: `Bearer ${badToken}` },
      })
    ).status,
  ).toBe(401);
  const malformed = await call('POST', `/api/v1/keys/${keyId}/encrypt`, {
    body: `{"plaintext": "${plaintextB64}", oops`,
  });
  expect(malformed.status).toBe(400);
  const invalid = await call('POST', `/api/v1/keys/${keyId}/encrypt`, {
    body: { plaintext: plaintext },
  });
  expect(invalid.status).toBe(400);
  const wrongContext = await call('POST', '/api/v1/decrypt', {
    body: { ciphertext: encrypted.body.ciphertext, encryptionContext: { purpose: plaintext } },
  });
  expect(wrongContext.body.code).toBe('INVALID_CIPHERTEXT');
  await server.close();
});

afterAll(async () => {
  // close() ran in beforeAll so shutdown lines are searched too; stopping twice is a no-op.
  await server.app.stop();
});

describe('the log', () => {
  it('was written, one JSON object per line, with request ids', () => {
    // One debug line per request at this level: sixteen requests above.
    const completed = server.logLines.filter((line) => line.includes('"request completed"'));
    expect(completed.length).toBe(16);
    for (const line of server.logLines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(server.logLines.some((line) => line.includes('"requestId"'))).toBe(true);
  });

  it('holds no token, plaintext, data key, private key, import token or key material', () => {
    expect(secrets.size).toBeGreaterThanOrEqual(8 * 3);
    expect(server.logLines.some((line) => line.includes(keyId))).toBe(true);
    const leaks: string[] = [];
    for (const [name, value] of secrets) {
      for (const line of server.logLines) if (line.includes(value)) leaks.push(`${name}: ${line}`);
    }
    expect(leaks).toEqual([]);
  });
});
