import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, startVaultServer, text, type VaultServer } from './vault-harness.js';

let server: VaultServer;
let client: ReturnType<typeof vault>;

beforeAll(async () => {
  server = await startVaultServer();
  // GET ?list=true here; the LIST verb itself is covered by list-method.test.ts.
  client = vault({ endpoint: server.url, token: server.token, noCustomHTTPVerbs: true });
});
afterAll(async () => {
  await server.close();
});

interface Data {
  data: Record<string, unknown>;
}

describe('node-vault against the Transit door', () => {
  it('creates, reads and lists keys', async () => {
    await client.write('transit/keys/orders', { type: 'aes256-gcm96' });
    const read = (await client.read('transit/keys/orders')) as Data;
    expect(read.data).toMatchObject({
      name: 'orders',
      type: 'aes256-gcm96',
      latest_version: 1,
      min_decryption_version: 1,
      min_encryption_version: 0,
      supports_encryption: true,
      supports_signing: false,
      deletion_allowed: false,
    });
    expect(Object.keys(read.data.keys as object)).toEqual(['1']);
    const list = (await client.list('transit/keys')) as Data;
    expect(list.data.keys).toContain('orders');
  });

  it('encrypts and decrypts', async () => {
    const enc = (await client.write('transit/encrypt/orders', { plaintext: b64('hello') })) as Data;
    expect(enc.data.ciphertext).toMatch(/^vault:v1:/);
    const dec = (await client.write('transit/decrypt/orders', {
      ciphertext: enc.data.ciphertext,
    })) as Data;
    expect(text(dec.data.plaintext)).toBe('hello');
  });

  it('rotates: old ciphertext still decrypts, rewrap moves it to the new version', async () => {
    const old = (await client.write('transit/encrypt/orders', { plaintext: b64('v1') })) as Data;
    await client.write('transit/keys/orders/rotate', {});
    const read = (await client.read('transit/keys/orders')) as Data;
    expect(read.data.latest_version).toBe(2);
    const dec = (await client.write('transit/decrypt/orders', {
      ciphertext: old.data.ciphertext,
    })) as Data;
    expect(text(dec.data.plaintext)).toBe('v1');
    const re = (await client.write('transit/rewrap/orders', {
      ciphertext: old.data.ciphertext,
    })) as Data;
    expect(re.data.ciphertext).toMatch(/^vault:v2:/);
  });

  it('enforces min_decryption_version', async () => {
    await client.write('transit/keys/floor', {});
    const old = (await client.write('transit/encrypt/floor', { plaintext: b64('x') })) as Data;
    await client.write('transit/keys/floor/rotate', {});
    await client.write('transit/keys/floor/config', { min_decryption_version: 2 });
    await expect(
      client.write('transit/decrypt/floor', { ciphertext: old.data.ciphertext }),
    ).rejects.toMatchObject({ response: { statusCode: 400 } });
  });

  it('an invalid token is 403 permission denied', async () => {
    const bad = vault({ endpoint: server.url, token: 'not-a-token' });
    await expect(bad.read('transit/keys/orders')).rejects.toMatchObject({
      message: 'permission denied',
      response: { statusCode: 403 },
    });
  });

  it('signs and verifies, and MACs', async () => {
    await client.write('transit/keys/signing', { type: 'ed25519' });
    const input = b64('message');
    const signed = (await client.write('transit/sign/signing', { input })) as Data;
    const ok = (await client.write('transit/verify/signing', {
      input,
      signature: signed.data.signature,
    })) as Data;
    expect(ok.data.valid).toBe(true);
    await client.write('transit/keys/mac', { type: 'hmac' });
    const mac = (await client.write('transit/hmac/mac/sha2-256', { input })) as Data;
    expect(mac.data.hmac).toMatch(/^vault:v1:/);
  });

  it('a batch with a bad item rejects with 400 and still carries every result', async () => {
    const failure = (await client
      .write('transit/encrypt/orders', {
        batch_input: [{ plaintext: b64('fine') }, { plaintext: 'not base64!' }],
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      )) as { response: { statusCode: number; body: Data } };
    expect(failure.response.statusCode).toBe(400);
    const results = failure.response.body.data.batch_results as Record<string, unknown>[];
    expect(results[0]?.ciphertext).toMatch(/^vault:v\d+:/);
    expect(results[1]?.error).toBeTypeOf('string');
  });

  it('malformed JSON is 400 with errors[]', async () => {
    const response = await fetch(`${server.url}/v1/transit/encrypt/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vault-token': server.token },
      body: '{"plaintext":',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: unknown[] };
    expect(body.errors).toHaveLength(1);
  });

  it('reports health', async () => {
    const health = (await client.health()) as Record<string, unknown>;
    expect(health).toMatchObject({ initialized: true, sealed: false, standby: false });
  });
});
