import { generateKeyPairSync, randomBytes } from 'node:crypto';
import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocally, wrapForImport } from './byok-wrap.js';
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

const plain = (body: Data): string =>
  Buffer.from(String(data(body).plaintext), 'base64').toString();

describe('allow_rotation on import (openbao AllowImportedKeyRotation)', () => {
  it('an imported key without it refuses rotate with Vault’s message and stays as it was', async () => {
    await client.write('transit/keys/fixed/import', {
      ciphertext: wrapForImport(randomBytes(32), pem),
    });
    const read = await server.call('GET', '/v1/transit/keys/fixed');
    expect(data(read.body)).toMatchObject({
      imported_key: true,
      imported_key_allow_rotation: false,
    });
    const res = await server.call('POST', '/v1/transit/keys/fixed/rotate');
    expect(res.status).toBe(400);
    expect(errorOf(res.body)).toBe('imported key fixed does not allow rotation within Vault');
    expect(data((await server.call('GET', '/v1/transit/keys/fixed')).body).latest_version).toBe(1);
    const audit = await fetch(`${server.url}/api/v1/audit?operation=vaultRotateKey`, {
      headers: { 'x-custos-token': server.token },
    });
    const { records } = (await audit.json()) as { records: { outcome: string }[] };
    expect(records.map((r) => r.outcome)).toEqual(['failure']);
  });

  it('with it, rotate adds a Custos-generated version; the imported one still decrypts', async () => {
    const material = randomBytes(32);
    await client.write('transit/keys/rolling/import', {
      ciphertext: wrapForImport(material, pem),
      allow_rotation: true,
    });
    const read = (await client.read('transit/keys/rolling')) as { data: Data };
    expect(read.data).toMatchObject({ imported_key: true, imported_key_allow_rotation: true });
    const old = await server.call('POST', '/v1/transit/encrypt/rolling', { plaintext: b64('v1') });
    expect(openLocally(material, data(old.body).ciphertext)).toBe('v1');

    const rotated = (await client.write('transit/keys/rolling/rotate', {})) as { data: Data };
    expect(rotated.data.latest_version).toBe(2);
    const enc = await server.call('POST', '/v1/transit/encrypt/rolling', { plaintext: b64('v2') });
    expect(String(data(enc.body).ciphertext)).toMatch(/^vault:v2:/);
    // The new version is not the imported material.
    expect(() => openLocally(material, data(enc.body).ciphertext)).toThrow();
    for (const [ciphertext, want] of [
      [data(old.body).ciphertext, 'v1'],
      [data(enc.body).ciphertext, 'v2'],
    ]) {
      const dec = await server.call('POST', '/v1/transit/decrypt/rolling', { ciphertext });
      expect(plain(dec.body)).toBe(want);
    }
    // import_version still adds the caller's material on top of a generated version.
    const next = randomBytes(32);
    await client.write('transit/keys/rolling/import_version', {
      ciphertext: wrapForImport(next, pem),
    });
    const third = await server.call('POST', '/v1/transit/encrypt/rolling', {
      plaintext: b64('v3'),
    });
    expect(String(data(third.body).ciphertext)).toMatch(/^vault:v3:/);
    expect(openLocally(next, data(third.body).ciphertext)).toBe('v3');
  });

  it('string booleans are read as Vault reads them; an asymmetric imported key rotates too', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await server.call('POST', '/v1/transit/keys/ec-rolling/import', {
      ciphertext: wrapForImport(pair.privateKey.export({ format: 'der', type: 'pkcs8' }), pem),
      type: 'ecdsa-p256',
      allow_rotation: 'true',
    });
    const rotated = await server.call('POST', '/v1/transit/keys/ec-rolling/rotate');
    expect(rotated.status).toBe(200);
    const keys = data(rotated.body).keys as Record<string, Data>;
    expect(Object.keys(keys)).toEqual(['1', '2']);
    expect(keys['2']?.public_key).not.toBe(keys['1']?.public_key);
    const signed = await server.call('POST', '/v1/transit/sign/ec-rolling', { input: b64('m') });
    expect(String(data(signed.body).signature)).toMatch(/^vault:v2:/);
  });

  it('auto_rotate_period on import is refused even with allow_rotation, creating nothing', async () => {
    const res = await server.call('POST', '/v1/transit/keys/auto/import', {
      ciphertext: wrapForImport(randomBytes(32), pem),
      allow_rotation: true,
      auto_rotate_period: '24h',
    });
    expect(res.status).toBe(400);
    expect(errorOf(res.body)).toBe('keys with imported material do not rotate automatically');
    expect((await server.call('GET', '/v1/transit/keys/auto')).status).toBe(404);
    const zero = await server.call('POST', '/v1/transit/keys/auto/import', {
      ciphertext: wrapForImport(randomBytes(32), pem),
      allow_rotation: true,
      auto_rotate_period: 0,
    });
    expect(zero.status).toBe(204);
  });

  it('a malformed allow_rotation is a 400 naming the field', async () => {
    for (const value of ['yes', 1, null, ['true']]) {
      const res = await server.call('POST', '/v1/transit/keys/bad-flag/import', {
        ciphertext: wrapForImport(randomBytes(32), pem),
        allow_rotation: value,
      });
      expect(res.status, JSON.stringify(value)).toBe(400);
      expect(errorOf(res.body)).toBe('invalid request: allow_rotation');
    }
    expect((await server.call('GET', '/v1/transit/keys/bad-flag')).status).toBe(404);
  });
});

describe('import over an existing name (openbao path_import.go)', () => {
  it('is refused whatever the existing key is, and the key is left as it was', async () => {
    await client.write('transit/keys/made-here', {});
    const before = await server.call('POST', '/v1/transit/encrypt/made-here', {
      plaintext: b64('kept'),
    });
    const wrapped = wrapForImport(randomBytes(32), pem);
    for (const name of ['made-here', 'fixed', 'rolling', 'ec-rolling']) {
      const res = await server.call('POST', `/v1/transit/keys/${name}/import`, {
        ciphertext: wrapped,
        type: 'aes256-gcm96',
        allow_rotation: true,
      });
      expect(res.status, name).toBe(400);
      expect(errorOf(res.body), name).toBe(
        'the import path cannot be used with an existing key; use import-version to rotate an existing imported key',
      );
    }
    const read = data((await server.call('GET', '/v1/transit/keys/made-here')).body);
    expect(read).toMatchObject({ imported_key: false, latest_version: 1, type: 'aes256-gcm96' });
    expect(read.imported_key_allow_rotation).toBeUndefined();
    const dec = await server.call('POST', '/v1/transit/decrypt/made-here', {
      ciphertext: data(before.body).ciphertext,
    });
    expect(plain(dec.body)).toBe('kept');
    expect(data((await server.call('GET', '/v1/transit/keys/fixed')).body)).toMatchObject({
      imported_key_allow_rotation: false,
      latest_version: 1,
    });
  });

  it('a bad ciphertext over an existing name still answers the existing-key error first', async () => {
    const res = await server.call('POST', '/v1/transit/keys/made-here/import', {
      ciphertext: randomBytes(600).toString('base64'),
    });
    expect(errorOf(res.body)).toMatch(/^the import path cannot be used with an existing key/);
  });
});
