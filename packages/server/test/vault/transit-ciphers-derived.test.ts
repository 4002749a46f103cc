import { randomBytes } from 'node:crypto';
import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, startVaultServer, text, type VaultServer, type Data, data } from './vault-harness.js';

let server: VaultServer;
let client: ReturnType<typeof vault>;

beforeAll(async () => {
  server = await startVaultServer();
  client = vault({ endpoint: server.url, token: server.token, noCustomHTTPVerbs: true });
});
afterAll(async () => {
  await server.close();
});

/** The one decrypt failure, whatever the cause. */
const INVALID = 'the ciphertext is invalid or was not made for this key and context';
const payload = (ciphertext: unknown): Buffer =>
  Buffer.from(String(ciphertext).replace(/^vault:v\d+:/, ''), 'base64');

/** The native REST door, to show a Vault key is an ordinary Custos key. */
async function rest(path: string, body: unknown): Promise<{ status: number; body: Data }> {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-custos-token': server.token },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Data };
}

describe('aes128-gcm96 and chacha20-poly1305 keys', () => {
  it.each([
    ['aes128-gcm96', 'AES_128', 0x02],
    ['chacha20-poly1305', 'CHACHA20_POLY1305', 0x03],
  ])(
    '%s: created by node-vault, encrypts, rotates, rewraps; Custos spec %s',
    async (type, spec, byte) => {
      const name = `k-${type}`;
      const created = (await client.write(`transit/keys/${name}`, { type })) as { data: Data };
      expect(created.data).toMatchObject({ type, supports_encryption: true, derived: false });
      const enc = (await client.write(`transit/encrypt/${name}`, {
        plaintext: b64('hello'),
      })) as { data: Data };
      expect(payload(enc.data.ciphertext)[1]).toBe(byte);
      await client.write(`transit/keys/${name}/rotate`, {});
      const dec = (await client.write(`transit/decrypt/${name}`, {
        ciphertext: enc.data.ciphertext,
      })) as { data: Data };
      expect(text(dec.data.plaintext)).toBe('hello');
      const re = (await client.write(`transit/rewrap/${name}`, {
        ciphertext: enc.data.ciphertext,
      })) as { data: Data };
      expect(String(re.data.ciphertext)).toMatch(/^vault:v2:/);

      const described = await fetch(`${server.url}/api/v1/keys/alias%2Fvault%2Ftransit%2F${name}`, {
        headers: { 'x-custos-token': server.token },
      });
      expect(((await described.json()) as Data).spec).toBe(spec);
      const viaRest = await rest('/decrypt', {
        ciphertext: payload(re.data.ciphertext).toString('base64'),
      });
      expect(viaRest.status).toBe(200);
      expect(text(viaRest.body.plaintext)).toBe('hello');
    },
  );

  it('a blob relabelled with another algorithm byte is the uniform invalid ciphertext', async () => {
    const enc = await server.call('POST', '/v1/transit/encrypt/k-chacha20-poly1305', {
      plaintext: b64('x'),
    });
    const blob = payload(data(enc.body).ciphertext);
    blob[1] = 0x01;
    const res = await server.call('POST', '/v1/transit/decrypt/k-chacha20-poly1305', {
      ciphertext: `vault:v2:${blob.toString('base64')}`,
    });
    expect(res).toEqual({ status: 400, body: { errors: [INVALID] } });
  });

  it('datakeys under both', async () => {
    for (const name of ['k-aes128-gcm96', 'k-chacha20-poly1305']) {
      const res = await server.call('POST', `/v1/transit/datakey/plaintext/${name}`, {});
      expect(res.status).toBe(200);
      const dec = await server.call('POST', `/v1/transit/decrypt/${name}`, {
        ciphertext: data(res.body).ciphertext,
      });
      expect(data(dec.body).plaintext).toBe(data(res.body).plaintext);
    }
  });
});

describe('derived keys', () => {
  const ctxA = b64('tenant-a');
  const ctxB = b64('tenant-b');

  it('read shows derived and its kdf; encrypt and decrypt need the context', async () => {
    const created = await server.call('POST', '/v1/transit/keys/derived', { derived: true });
    expect(data(created.body)).toMatchObject({
      derived: true,
      kdf: 'hkdf_sha256',
      convergent_encryption: false,
    });
    const missing = await server.call('POST', '/v1/transit/encrypt/derived', {
      plaintext: b64('p'),
    });
    expect(missing.status).toBe(400);
    expect(String((missing.body.errors as string[])[0])).toMatch(/^missing 'context'/);
    const enc = await server.call('POST', '/v1/transit/encrypt/derived', {
      plaintext: b64('p'),
      context: ctxA,
    });
    expect(enc.status).toBe(200);
    const ciphertext = data(enc.body).ciphertext;
    const right = await server.call('POST', '/v1/transit/decrypt/derived', {
      ciphertext,
      context: ctxA,
    });
    expect(text(data(right.body).plaintext)).toBe('p');
    const wrong = await server.call('POST', '/v1/transit/decrypt/derived', {
      ciphertext,
      context: ctxB,
    });
    expect(wrong).toEqual({ status: 400, body: { errors: [INVALID] } });
    const none = await server.call('POST', '/v1/transit/decrypt/derived', { ciphertext });
    expect(none.status).toBe(400);
  });

  it('batch items carry their own contexts; a missing one fails only its item', async () => {
    const res = await server.call('POST', '/v1/transit/encrypt/derived', {
      batch_input: [
        { plaintext: b64('a'), context: ctxA, reference: 'a' },
        { plaintext: b64('b'), reference: 'b' },
        { plaintext: b64('c'), context: 'not base64!', reference: 'c' },
      ],
    });
    expect(res.status).toBe(400);
    const results = data(res.body).batch_results as Data[];
    expect(results[0]?.ciphertext).toMatch(/^vault:v1:/);
    expect(results[1]).toMatchObject({ reference: 'b' });
    expect(String(results[1]?.error)).toMatch(/^missing 'context'/);
    expect(results[2]).toMatchObject({ error: 'context must be base64', reference: 'c' });
  });

  it('decrypts through REST with the context as the vault:context entry', async () => {
    const enc = await server.call('POST', '/v1/transit/encrypt/derived', {
      plaintext: b64('via rest'),
      context: ctxB,
      associated_data: b64('ad'),
    });
    const blob = payload(data(enc.body).ciphertext).toString('base64');
    const ok = await rest('/decrypt', {
      ciphertext: blob,
      encryptionContext: { 'vault:context': ctxB, 'vault:associated_data': b64('ad') },
    });
    expect(ok.status).toBe(200);
    expect(text(ok.body.plaintext)).toBe('via rest');
    const noContext = await rest('/decrypt', {
      ciphertext: blob,
      encryptionContext: { 'vault:associated_data': b64('ad') },
    });
    expect(noContext.status).toBe(400);
  });

  it('datakey and rewrap take the context', async () => {
    const dk = await server.call('POST', '/v1/transit/datakey/wrapped/derived', { context: ctxA });
    expect(dk.status).toBe(200);
    await server.call('POST', '/v1/transit/keys/derived/rotate', {});
    const re = await server.call('POST', '/v1/transit/rewrap/derived', {
      ciphertext: data(dk.body).ciphertext,
      context: ctxA,
    });
    expect(String(data(re.body).ciphertext)).toMatch(/^vault:v2:/);
    const noCtx = await server.call('POST', '/v1/transit/datakey/wrapped/derived', {});
    expect(noCtx.status).toBe(400);
  });

  it('context is ignored on a key that is not derived, as Vault does', async () => {
    await server.call('POST', '/v1/transit/keys/plain', {});
    const enc = await server.call('POST', '/v1/transit/encrypt/plain', {
      plaintext: b64('p'),
      context: ctxA,
    });
    const dec = await server.call('POST', '/v1/transit/decrypt/plain', {
      ciphertext: data(enc.body).ciphertext,
    });
    expect(text(data(dec.body).plaintext)).toBe('p');
  });

  it('refuses derivation of ECDSA keys, an over-long context and a caller nonce', async () => {
    const ec = await server.call('POST', '/v1/transit/keys/ec', {
      type: 'ecdsa-p256',
      derived: true,
    });
    expect(ec).toEqual({
      status: 400,
      body: {
        errors: [
          'key derivation and convergent encryption not supported for keys of type ecdsa-p256',
        ],
      },
    });
    const long = await server.call('POST', '/v1/transit/encrypt/derived', {
      plaintext: b64('p'),
      context: randomBytes(1025).toString('base64'),
    });
    expect(long.status).toBe(400);
    const nonce = await server.call('POST', '/v1/transit/encrypt/derived', {
      plaintext: b64('p'),
      context: ctxA,
      nonce: randomBytes(12).toString('base64'),
    });
    expect(nonce).toEqual({ status: 400, body: { errors: ['nonce provided when not allowed'] } });
  });

  it('encrypt creates a derived key when the request has a context (openbao upsert)', async () => {
    const enc = await server.call('POST', '/v1/transit/encrypt/made-derived', {
      plaintext: b64('p'),
      context: ctxA,
    });
    expect(enc.status).toBe(200);
    const read = await server.call('GET', '/v1/transit/keys/made-derived');
    expect(data(read.body).derived).toBe(true);
  });
});

describe('convergent encryption', () => {
  const ctx = b64('user-42');

  it('same plaintext and context give the same ciphertext; any change gives another', async () => {
    const created = (await client.write('transit/keys/conv', {
      derived: true,
      convergent_encryption: true,
    })) as { data: Data };
    expect(created.data).toMatchObject({
      derived: true,
      convergent_encryption: true,
      convergent_encryption_version: 3,
    });
    const enc = async (plaintext: string, context: string, ad?: string) =>
      String(
        (
          (await client.write('transit/encrypt/conv', {
            plaintext: b64(plaintext),
            context,
            ...(ad !== undefined && { associated_data: b64(ad) }),
          })) as { data: Data }
        ).data.ciphertext,
      );
    const a = await enc('same', ctx);
    expect(await enc('same', ctx)).toBe(a);
    expect(await enc('other', ctx)).not.toBe(a);
    expect(await enc('same', b64('user-43'))).not.toBe(a);
    expect(await enc('same', ctx, 'ad')).not.toBe(a);
    expect(await enc('same', ctx, 'ad')).toBe(await enc('same', ctx, 'ad'));
    const dec = (await client.write('transit/decrypt/conv', { ciphertext: a, context: ctx })) as {
      data: Data;
    };
    expect(text(dec.data.plaintext)).toBe('same');
  });

  it('stays deterministic per version after rotation, and batches agree with singles', async () => {
    const before = await server.call('POST', '/v1/transit/encrypt/conv', {
      plaintext: b64('x'),
      context: ctx,
    });
    await server.call('POST', '/v1/transit/keys/conv/rotate', {});
    const batch = await server.call('POST', '/v1/transit/encrypt/conv', {
      batch_input: [
        { plaintext: b64('x'), context: ctx },
        { plaintext: b64('x'), context: ctx },
      ],
    });
    const [first, second] = data(batch.body).batch_results as Data[];
    expect(first?.ciphertext).toBe(second?.ciphertext);
    expect(String(first?.ciphertext)).toMatch(/^vault:v2:/);
    expect(first?.ciphertext).not.toBe(data(before.body).ciphertext);
    const old = await server.call('POST', '/v1/transit/decrypt/conv', {
      ciphertext: data(before.body).ciphertext,
      context: ctx,
    });
    expect(text(data(old.body).plaintext)).toBe('x');
  });
});
