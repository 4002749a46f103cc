import { type KeyObject, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapForImport } from './byok-wrap.js';
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
let pem: string;

beforeAll(async () => {
  server = await startVaultServer();
  client = vault({ endpoint: server.url, token: server.token, noCustomHTTPVerbs: true });
  pem = ((await client.read('transit/wrapping_key')) as { data: { public_key: string } }).data
    .public_key;
});
afterAll(async () => {
  await server.close();
});

interface Pair {
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}
const publicPem = (pair: Pair): string =>
  pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const wrappedPrivate = (pair: Pair): string =>
  wrapForImport(pair.privateKey.export({ format: 'der', type: 'pkcs8' }), pem);

/** A signature made here, in the form the door's verify takes. */
function signLocally(type: string, pair: Pair, message: Buffer, version = 1): string {
  const raw =
    type === 'ed25519'
      ? sign(null, message, pair.privateKey)
      : sign('sha256', message, pair.privateKey);
  return `vault:v${String(version)}:${raw.toString('base64')}`;
}

const cases: [string, () => Pair][] = [
  ['ecdsa-p256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ['ed25519', () => generateKeyPairSync('ed25519')],
  ['rsa-2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
];

describe.each(cases)('public_key import of %s', (type, generate) => {
  const pair = generate();
  const name = `pub-${type}`;
  const message = Buffer.from('signed elsewhere');
  const verifyBody = (signature: string, input = message) => ({
    input: input.toString('base64'),
    signature,
    ...(type.startsWith('rsa') && { signature_algorithm: 'pkcs1v15' }),
  });

  it('imports the public key alone (node-vault); it verifies but does not sign', async () => {
    await client.write(`transit/keys/${name}/import`, {
      public_key: publicPem(pair),
      type,
      exportable: true,
    });
    const read = (await client.read(`transit/keys/${name}`)) as { data: Data };
    expect(read.data).toMatchObject({ imported_key: true, latest_version: 1, type });
    const shown = (read.data.keys as Record<string, Data>)['1']?.public_key;
    // Vault shows ed25519 public keys as the raw 32 bytes (the SPKI's tail), others as PEM.
    const spki = pair.publicKey.export({ format: 'der', type: 'spki' });
    expect(shown).toBe(
      type === 'ed25519' ? spki.subarray(spki.length - 32).toString('base64') : publicPem(pair),
    );
    const ok = await server.call('POST', `/v1/transit/verify/${name}`, {
      ...verifyBody(signLocally(type, pair, message)),
    });
    expect(data(ok.body).valid).toBe(true);
    const tampered = await server.call('POST', `/v1/transit/verify/${name}`, {
      ...verifyBody(signLocally(type, pair, message), Buffer.from('other')),
    });
    expect(data(tampered.body).valid).toBe(false);
    const signed = await server.call('POST', `/v1/transit/sign/${name}`, { input: b64('x') });
    expect(signed.status).toBe(400);
    expect(errorOf(signed.body)).toBe(
      'requested version for signing does not contain a private part',
    );
    const exported = await server.call('GET', `/v1/transit/export/signing-key/${name}`);
    expect(exported.status).toBe(400);
    const publicExport = await server.call('GET', `/v1/transit/export/public-key/${name}`);
    expect(publicExport.status).toBe(200);
  });

  it('import_version with version: a wrong private key is refused, the right one completes it', async () => {
    const other = generate();
    const wrong = await server.call('POST', `/v1/transit/keys/${name}/import_version`, {
      ciphertext: wrappedPrivate(other),
      version: 1,
    });
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong.body)).toBe('cannot import key, key pair does not match');
    expect(
      (await server.call('POST', `/v1/transit/sign/${name}`, { input: b64('x') })).status,
    ).toBe(400);

    await client.write(`transit/keys/${name}/import_version`, {
      ciphertext: wrappedPrivate(pair),
      version: 1,
    });
    const read = data((await server.call('GET', `/v1/transit/keys/${name}`)).body);
    expect(read.latest_version).toBe(1);
    const signed = await server.call('POST', `/v1/transit/sign/${name}`, {
      input: message.toString('base64'),
      ...(type.startsWith('rsa') && { signature_algorithm: 'pkcs1v15' }),
    });
    expect(signed.status).toBe(200);
    const signature = String(data(signed.body).signature);
    expect(signature).toMatch(/^vault:v1:/);
    const raw = Buffer.from(signature.slice('vault:v1:'.length), 'base64');
    expect(verify(type === 'ed25519' ? null : 'sha256', message, pair.publicKey, raw)).toBe(true);
  });

  it('a completed version cannot be updated again', async () => {
    for (const body of [
      { ciphertext: wrappedPrivate(pair), version: 1 },
      { public_key: publicPem(pair), version: 1 },
    ]) {
      const res = await server.call('POST', `/v1/transit/keys/${name}/import_version`, body);
      expect(res.status).toBe(400);
      expect(errorOf(res.body)).toBe('private key imported, key version cannot be updated');
    }
  });
});

describe('import_version of public keys without version (openbao ImportPublicOrPrivate)', () => {
  it('adds a public-only version; a matching private key completes it, another adds a version', async () => {
    const first = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const second = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const third = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await client.write('transit/keys/chain/import', {
      ciphertext: wrappedPrivate(first),
      type: 'ecdsa-p256',
    });
    await client.write('transit/keys/chain/import_version', { public_key: publicPem(second) });
    expect(data((await server.call('GET', '/v1/transit/keys/chain')).body).latest_version).toBe(2);
    // The primary has no private half yet: signing is refused, verifying v2 works.
    expect((await server.call('POST', '/v1/transit/sign/chain', { input: b64('m') })).status).toBe(
      400,
    );
    const v2 = await server.call('POST', '/v1/transit/verify/chain', {
      input: b64('m'),
      signature: signLocally('ecdsa-p256', second, Buffer.from('m'), 2),
    });
    expect(data(v2.body).valid).toBe(true);
    // A public-key version only: asking it for a second public key is refused.
    const again = await server.call('POST', '/v1/transit/keys/chain/import_version', {
      public_key: publicPem(second),
      version: 2,
    });
    expect(errorOf(again.body)).toBe(
      'cannot add a public key to a key version that already has a public key set',
    );

    await client.write('transit/keys/chain/import_version', { ciphertext: wrappedPrivate(second) });
    expect(data((await server.call('GET', '/v1/transit/keys/chain')).body).latest_version).toBe(2);
    const signed = await server.call('POST', '/v1/transit/sign/chain', { input: b64('m') });
    expect(String(data(signed.body).signature)).toMatch(/^vault:v2:/);

    await client.write('transit/keys/chain/import_version', { ciphertext: wrappedPrivate(third) });
    expect(data((await server.call('GET', '/v1/transit/keys/chain')).body).latest_version).toBe(3);
    // Version 1's signatures still verify.
    const v1 = await server.call('POST', '/v1/transit/verify/chain', {
      input: b64('m'),
      signature: signLocally('ecdsa-p256', first, Buffer.from('m'), 1),
    });
    expect(data(v1.body).valid).toBe(true);
  });

  it('a version that does not exist, or is malformed, is refused', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (const [version, message] of [
      [99, 'no such key version'],
      ['abc', 'invalid request: version'],
      [-1, /^version must be/],
      [0, /^version must be/],
    ] as const) {
      const res = await server.call('POST', '/v1/transit/keys/chain/import_version', {
        ciphertext: wrappedPrivate(pair),
        version,
      });
      expect(res.status, String(version)).toBe(400);
      expect(errorOf(res.body), String(version)).toMatch(message);
    }
    expect(data((await server.call('GET', '/v1/transit/keys/chain')).body).latest_version).toBe(3);
  });
});

describe('hostile public_key input', () => {
  it('is refused with 400 and creates nothing', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const privatePem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const cases: [string, Data, string | RegExp][] = [
      ['garbage', { public_key: 'hello', type: 'ecdsa-p256' }, /^error parsing public key/],
      ['private-pem', { public_key: privatePem, type: 'ecdsa-p256' }, /^error parsing public key/],
      ['wrong-curve', { public_key: publicPem(p384), type: 'ecdsa-p256' }, /not a ECC_NIST_P256/],
      ['rsa-as-ed', { public_key: publicPem(ec), type: 'ed25519' }, /not a ED25519/],
      [
        'symmetric',
        { public_key: publicPem(ec), type: 'aes256-gcm96' },
        'provided type does not support public_key import',
      ],
      [
        'hmac',
        { public_key: publicPem(ec), type: 'hmac' },
        'provided type does not support public_key import',
      ],
      ['huge', { public_key: 'A'.repeat(5000), type: 'ecdsa-p256' }, /at most 4096 characters/],
      ['empty', { public_key: '', type: 'ecdsa-p256' }, /at most 4096 characters/],
      ['number', { public_key: 42, type: 'ecdsa-p256' }, 'invalid request: public_key'],
      [
        'both',
        { public_key: publicPem(ec), ciphertext: wrappedPrivate(ec), type: 'ecdsa-p256' },
        'only one of the following fields, ciphertext and public_key, can be set',
      ],
    ];
    for (const [label, body, message] of cases) {
      const res = await server.call('POST', `/v1/transit/keys/hostile-${label}/import`, body);
      expect(res.status, label).toBe(400);
      expect(errorOf(res.body), label).toMatch(message);
      expect((await server.call('GET', `/v1/transit/keys/hostile-${label}`)).status, label).toBe(
        404,
      );
    }
  });

  it('a public key on a symmetric imported key’s import_version is refused', async () => {
    await client.write('transit/keys/sym/import', {
      ciphertext: wrapForImport(randomBytes(32), pem),
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const res = await server.call('POST', '/v1/transit/keys/sym/import_version', {
      public_key: publicPem(ec),
    });
    expect(errorOf(res.body)).toBe('provided type does not support public_key import');
    const versioned = await server.call('POST', '/v1/transit/keys/sym/import_version', {
      ciphertext: wrapForImport(randomBytes(32), pem),
      version: 1,
    });
    expect(errorOf(versioned.body)).toBe('provided type does not support importing key versions');
  });
});
