import {
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  b64,
  startVaultServer,
  type VaultServer,
  type Data,
  data,
  errorOf,
} from './vault-harness.js';

let server: VaultServer;
let client: ReturnType<typeof vault>;

beforeAll(async () => {
  server = await startVaultServer();
  client = vault({ endpoint: server.url, token: server.token, noCustomHTTPVerbs: true });
  await client.write('transit/keys/ed-derived', {
    type: 'ed25519',
    derived: true,
    exportable: true,
  });
});
afterAll(async () => {
  await server.close();
});

const MISSING_CONTEXT =
  "missing 'context' for key derivation; the key was created using a derived key, which means additional, per-request information must be included in order to perform operations with the key";

const ctxA = b64('tenant-a');
const ctxB = b64('tenant-b');
const message = Buffer.from('derived message');

/**
 * Vault's derivation, written from openbao keysutil DeriveKey: HKDF-SHA-256
 * (empty salt, the context as info) over the 64-byte Go key seed ‖ public
 * key, whose first 32 bytes seed ed25519.GenerateKey.
 */
function vaultDerivedKey(goKey: Buffer, context: string) {
  const seed = Buffer.from(
    hkdfSync('sha256', goKey, Buffer.alloc(0), Buffer.from(context, 'base64'), 32),
  );
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}
const rawPublic = (key: ReturnType<typeof createPrivateKey>): string => {
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32).toString('base64');
};
const payload = (signature: unknown): Buffer =>
  Buffer.from(String(signature).replace(/^vault:v\d+:/, ''), 'base64');

describe('derived ed25519 keys (openbao keysutil DeriveKey, KeyType_ED25519)', () => {
  it('the key read shows derivation and never the base public key', async () => {
    const read = (await client.read('transit/keys/ed-derived')) as { data: Data };
    expect(read.data).toMatchObject({
      type: 'ed25519',
      derived: true,
      kdf: 'hkdf_sha256',
      convergent_encryption: false,
      supports_derivation: true,
      supports_signing: true,
    });
    expect((read.data.keys as Record<string, Data>)['1']).toMatchObject({
      name: 'ed25519',
      public_key: '',
    });
  });

  it('signs with the key Vault derives: the same signature bytes and public key', async () => {
    const signed = (await client.write('transit/sign/ed-derived', {
      input: message.toString('base64'),
      context: ctxA,
    })) as { data: Data };
    const exported = await server.call('GET', '/v1/transit/export/signing-key/ed-derived/1');
    const goKey = Buffer.from(
      String((data(exported.body).keys as Record<string, string>)['1']),
      'base64',
    );
    expect(goKey).toHaveLength(64);
    const expected = vaultDerivedKey(goKey, ctxA);
    expect(signed.data.public_key).toBe(rawPublic(expected));
    // Ed25519 signatures are deterministic: same key and message, same bytes.
    expect(payload(signed.data.signature)).toEqual(sign(null, message, expected));
    expect(verify(null, message, createPublicKey(expected), payload(signed.data.signature))).toBe(
      true,
    );
  });

  it('each context is its own key; verify needs the signing context', async () => {
    const a = await server.call('POST', '/v1/transit/sign/ed-derived', {
      input: message.toString('base64'),
      context: ctxA,
    });
    const b = await server.call('POST', '/v1/transit/sign/ed-derived', {
      input: message.toString('base64'),
      context: ctxB,
    });
    expect(data(a.body).public_key).not.toBe(data(b.body).public_key);
    const signature = data(a.body).signature;
    const right = await server.call('POST', '/v1/transit/verify/ed-derived', {
      input: message.toString('base64'),
      signature,
      context: ctxA,
    });
    expect(data(right.body).valid).toBe(true);
    const wrong = await server.call('POST', '/v1/transit/verify/ed-derived', {
      input: message.toString('base64'),
      signature,
      context: ctxB,
    });
    expect(data(wrong.body).valid).toBe(false);
    for (const path of ['sign', 'verify']) {
      const none = await server.call('POST', `/v1/transit/${path}/ed-derived`, {
        input: message.toString('base64'),
        signature,
      });
      expect(none.status, path).toBe(400);
      expect(errorOf(none.body), path).toBe(MISSING_CONTEXT);
    }
  });

  it('batch items carry their own context; one without fails alone', async () => {
    const res = await server.call('POST', '/v1/transit/sign/ed-derived', {
      batch_input: [
        { input: b64('one'), context: ctxA, reference: 'a' },
        { input: b64('two'), reference: 'none' },
        { input: b64('three'), context: ctxB },
      ],
    });
    expect(res.status).toBe(200);
    const results = data(res.body).batch_results as Data[];
    expect(results[0]?.signature).toMatch(/^vault:v1:/);
    expect(results[1]).toEqual({ error: MISSING_CONTEXT, reference: 'none' });
    expect(results[2]?.public_key).toBe(
      data(
        (
          await server.call('POST', '/v1/transit/sign/ed-derived', {
            input: b64('x'),
            context: ctxB,
          })
        ).body,
      ).public_key,
    );
  });

  it('rotation: a new version signs, the old version’s signatures still verify', async () => {
    await client.write('transit/keys/ed-rot', { type: 'ed25519', derived: true });
    const old = await server.call('POST', '/v1/transit/sign/ed-rot', {
      input: b64('m'),
      context: ctxA,
    });
    await client.write('transit/keys/ed-rot/rotate', {});
    const fresh = await server.call('POST', '/v1/transit/sign/ed-rot', {
      input: b64('m'),
      context: ctxA,
    });
    expect(String(data(fresh.body).signature)).toMatch(/^vault:v2:/);
    expect(data(fresh.body).public_key).not.toBe(data(old.body).public_key);
    for (const signature of [data(old.body).signature, data(fresh.body).signature]) {
      const ok = await server.call('POST', '/v1/transit/verify/ed-rot', {
        input: b64('m'),
        signature,
        context: ctxA,
      });
      expect(data(ok.body).valid).toBe(true);
    }
  });

  it('other doors cannot sign without a context', async () => {
    const read = data((await server.call('GET', '/v1/transit/keys/ed-derived')).body);
    const res = await fetch(`${server.url}/api/v1/keys/${String(read.custos_key_id)}/sign`, {
      method: 'POST',
      headers: { 'x-custos-token': server.token, 'content-type': 'application/json' },
      body: JSON.stringify({ message: b64('m'), algorithm: 'ED25519_SHA_512' }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("missing 'context' for key derivation");
  });

  it('refuses hostile input with 400 and creates nothing', async () => {
    const cases: [string, string, Data, string | RegExp][] = [
      ['sign', 'ed-derived', { input: b64('m'), context: '***' }, 'context must be base64'],
      [
        'sign',
        'ed-derived',
        { input: b64('m'), context: randomBytes(1025).toString('base64') },
        'context must be at most 1024 bytes',
      ],
      ['sign', 'ed-derived', { input: b64('m'), context: 7 }, 'invalid request: context'],
      [
        'keys',
        'ed-conv',
        { type: 'ed25519', derived: true, convergent_encryption: true },
        'convergent encryption not supported for keys of type ed25519',
      ],
      [
        'keys',
        'rsa-derived',
        { type: 'rsa-2048', derived: true },
        'key derivation and convergent encryption not supported for keys of type rsa-2048',
      ],
    ];
    for (const [path, name, body, message] of cases) {
      const res = await server.call('POST', `/v1/transit/${path}/${name}`, body);
      expect(res.status, `${path}/${name}`).toBe(400);
      expect(errorOf(res.body), `${path}/${name}`).toMatch(message);
    }
    for (const name of ['ed-conv', 'rsa-derived']) {
      expect((await server.call('GET', `/v1/transit/keys/${name}`)).status).toBe(404);
    }
    const pub = await server.call('POST', '/v1/transit/keys/ed-pub/import', {
      type: 'ed25519',
      derived: true,
      public_key: createPublicKey(vaultDerivedKey(randomBytes(64), ctxA))
        .export({ format: 'pem', type: 'spki' })
        .toString(),
    });
    expect(errorOf(pub.body)).toMatch(/^unable to import only public key for derived Ed25519 key/);
    expect((await server.call('GET', '/v1/transit/keys/ed-pub')).status).toBe(404);
  });
});

describe('key read with a context (openbao path_keys.go)', () => {
  it('shows each version’s public key derived for that context', async () => {
    const signed = await server.call('POST', '/v1/transit/sign/ed-rot', {
      input: b64('m'),
      context: ctxB,
    });
    const read = (await client.read(`transit/keys/ed-rot?context=${encodeURIComponent(ctxB)}`)) as {
      data: { keys: Record<string, Data> };
    };
    const keys = read.data.keys;
    expect(keys['2']?.public_key).toBe(data(signed.body).public_key);
    expect(keys['1']?.public_key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(keys['1']?.public_key).not.toBe(keys['2']?.public_key);
  });

  it('a malformed context is 400; a non-derived key ignores it', async () => {
    const bad = await server.call('GET', '/v1/transit/keys/ed-rot?context=%2A%2A%2A');
    expect(bad).toEqual({ status: 400, body: { errors: ['context must be base64'] } });
    await client.write('transit/keys/ed-plain', { type: 'ed25519' });
    const plain = await server.call('GET', `/v1/transit/keys/ed-plain?context=${ctxA}`);
    expect(plain.status).toBe(200);
    expect(String((data(plain.body).keys as Record<string, Data>)['1']?.public_key)).not.toBe('');
  });
});
