import { createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_PRINCIPAL } from '../../src/core/principal.js';
import { POLICY_VERSION } from '../../src/core/identity.js';
import type { RequestContext } from '../../src/service/context.js';
import { createPrincipal, createToken, putPolicy } from '../../src/service/identity/index.js';
import { openLocally, wrapForImport as wrapTarget } from './byok-wrap.js';
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
let wrappingPem: string;

beforeAll(async () => {
  server = await startVaultServer({ vault: { mounts: ['transit', 'team-a'] } });
  client = vault({ endpoint: server.url, token: server.token, noCustomHTTPVerbs: true });
  const res = (await client.read('transit/wrapping_key')) as { data: { public_key: string } };
  wrappingPem = res.data.public_key;
});
afterAll(async () => {
  await server.close();
});

function wrapForImport(target: Buffer, pem = wrappingPem, hash = 'sha256'): string {
  return wrapTarget(target, pem, hash);
}

describe('wrapping_key', () => {
  it('is an RSA-4096 public key in PEM, the same on every read, one per mount', async () => {
    const key = createPublicKey(wrappingPem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
    const again = await server.call('GET', '/v1/transit/wrapping_key');
    expect(data(again.body).public_key).toBe(wrappingPem);
    const other = await server.call('GET', '/v1/team-a/wrapping_key');
    expect(data(other.body).public_key).not.toBe(wrappingPem);
  });
});

describe('import', () => {
  const material = randomBytes(32);

  it('imports an AES-256 key wrapped with node:crypto; the door then encrypts with exactly it', async () => {
    const res = await server.call('POST', '/v1/transit/keys/byok/import', {
      ciphertext: wrapForImport(material),
      type: 'aes256-gcm96',
    });
    expect(res.status).toBe(204);
    const read = await server.call('GET', '/v1/transit/keys/byok');
    expect(data(read.body)).toMatchObject({ imported_key: true, latest_version: 1 });
    const enc = await server.call('POST', '/v1/transit/encrypt/byok', { plaintext: b64('mine') });
    expect(openLocally(material, data(enc.body).ciphertext)).toBe('mine');
  });

  it('import_version adds the next, primary version; the old one still decrypts', async () => {
    const old = await server.call('POST', '/v1/transit/encrypt/byok', { plaintext: b64('old') });
    const next = randomBytes(32);
    await client.write('transit/keys/byok/import_version', {
      ciphertext: wrapForImport(next, wrappingPem, 'sha512'),
      hash_function: 'SHA512',
    });
    const enc = await server.call('POST', '/v1/transit/encrypt/byok', { plaintext: b64('new') });
    expect(String(data(enc.body).ciphertext)).toMatch(/^vault:v2:/);
    expect(openLocally(next, data(enc.body).ciphertext)).toBe('new');
    const dec = await server.call('POST', '/v1/transit/decrypt/byok', {
      ciphertext: data(old.body).ciphertext,
    });
    expect(Buffer.from(String(data(dec.body).plaintext), 'base64').toString()).toBe('old');
  });

  it('imports an ECDSA P-256 key as PKCS#8 (SHA1 OAEP); its signatures verify locally', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    await client.write('transit/keys/byok-ec/import', {
      ciphertext: wrapForImport(pkcs8, wrappingPem, 'sha1'),
      hash_function: 'sha1',
      type: 'ecdsa-p256',
    });
    const signed = await server.call('POST', '/v1/transit/sign/byok-ec', { input: b64('doc') });
    const signature = Buffer.from(String(data(signed.body).signature).slice(9), 'base64');
    expect(verify('sha256', Buffer.from('doc'), pair.publicKey, signature)).toBe(true);
  });

  it('imports a derived key under another mount, which needs its context', async () => {
    const key = randomBytes(32);
    await server.call('POST', '/v1/team-a/keys/derived/import', {
      ciphertext: wrapForImport(
        key,
        String(data((await server.call('GET', '/v1/team-a/wrapping_key')).body).public_key),
      ),
      derived: true,
    });
    const enc = await server.call('POST', '/v1/team-a/encrypt/derived', { plaintext: b64('p') });
    expect(enc.status).toBe(400);
    const ok = await server.call('POST', '/v1/team-a/encrypt/derived', {
      plaintext: b64('p'),
      context: b64('c'),
    });
    expect(ok.status).toBe(200);
  });

  it('refuses bad input with 400 and creates nothing', async () => {
    const good = wrapForImport(randomBytes(32));
    const cases: [string, Data, string | RegExp][] = [
      ['exists', { ciphertext: good }, /^the import path cannot be used with an existing key/],
      [
        'short',
        { ciphertext: randomBytes(100).toString('base64') },
        'provided ciphertext is too short',
      ],
      ['garbage', { ciphertext: randomBytes(600).toString('base64') }, /does not unwrap/],
      [
        'other-mount',
        {
          ciphertext: wrapForImport(
            randomBytes(32),
            String(data((await server.call('GET', '/v1/team-a/wrapping_key')).body).public_key),
          ),
        },
        /does not unwrap/,
      ],
      ['wrong-hash', { ciphertext: good, hash_function: 'SHA384' }, /does not unwrap/],
      ['md5', { ciphertext: good, hash_function: 'MD5' }, 'unknown hash function: MD5'],
      ['short-aes', { ciphertext: wrapForImport(randomBytes(20)) }, /must be 32 bytes/],
      ['not-pkcs8', { ciphertext: wrapForImport(randomBytes(64)), type: 'ecdsa-p256' }, /PKCS#8/],
      ['not-base64', { ciphertext: '***' }, 'ciphertext must be base64'],
      ['no-ciphertext', {}, 'missing ciphertext'],
      [
        'convergent',
        { ciphertext: good, convergent_encryption: false },
        'import cannot be used on keys with convergent encryption enabled',
      ],
      [
        'rotating',
        { ciphertext: good, auto_rotate_period: '24h' },
        'allow_rotation must be set to true if auto-rotation is enabled',
      ],
      ['bad-type', { ciphertext: good, type: 'des' }, 'unknown key type des'],
      ['array', { ciphertext: [good] }, /invalid request/],
    ];
    for (const [name, body, message] of cases) {
      const target = name === 'exists' ? 'byok' : `refused-${name}`;
      const res = await server.call('POST', `/v1/transit/keys/${target}/import`, body);
      expect(res.status, name).toBe(400);
      expect(errorOf(res.body), name).toMatch(message);
      if (name !== 'exists') {
        expect((await server.call('GET', `/v1/transit/keys/${target}`)).status, name).toBe(404);
      }
    }
  });

  it('import_version only on imported keys', async () => {
    await server.call('POST', '/v1/transit/keys/generated', {});
    const res = await server.call('POST', '/v1/transit/keys/generated/import_version', {
      ciphertext: wrapForImport(randomBytes(32)),
    });
    expect(errorOf(res.body)).toBe(
      'the import_version endpoint can only be used with an imported key',
    );
    const absent = await server.call('POST', '/v1/transit/keys/absent/import_version', {
      ciphertext: wrapForImport(randomBytes(32)),
    });
    expect(absent.status).toBe(404);
  });

  it('needs kms:CreateKey and kms:ImportKeyMaterial', async () => {
    const root: RequestContext = {
      kms: server.app.http.kms,
      principal: ROOT_PRINCIPAL,
      requestId: 'test',
    };
    await putPolicy(root, {
      name: 'creator',
      document: {
        version: POLICY_VERSION,
        statements: [
          {
            effect: 'allow',
            actions: ['kms:CreateKey', 'kms:GetParametersForImport'],
            resources: ['*'],
          },
        ],
      },
    });
    await createPrincipal(root, { id: 'service/creator', kind: 'service', policies: ['creator'] });
    const token = (await createToken(root, { principal: 'service/creator' })).token;
    const res = await server.call(
      'POST',
      '/v1/transit/keys/denied/import',
      { ciphertext: wrapForImport(randomBytes(32)) },
      token,
    );
    expect(res).toEqual({ status: 403, body: { errors: ['permission denied'] } });
    const wrapping = await server.call('GET', '/v1/transit/wrapping_key', undefined, token);
    expect(wrapping.status).toBe(200);
  });
});
