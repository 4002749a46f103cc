import { createCipheriv, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  b64,
  startVaultServer,
  text,
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
});
afterAll(async () => {
  await server.close();
});

describe('trim', () => {
  const ciphertexts: string[] = [];

  beforeAll(async () => {
    await server.call('POST', '/v1/transit/keys/trimmed', {});
    for (let v = 1; v <= 4; v += 1) {
      const enc = await server.call('POST', '/v1/transit/encrypt/trimmed', {
        plaintext: b64(`v${String(v)}`),
      });
      ciphertexts.push(String(data(enc.body).ciphertext));
      if (v < 4) await server.call('POST', '/v1/transit/keys/trimmed/rotate', {});
    }
  });

  it('refuses as openbao path_trim.go does, changing nothing', async () => {
    const trim = (body: unknown) => server.call('POST', '/v1/transit/keys/trimmed/trim', body);
    expect(errorOf((await trim({})).body)).toBe('missing min_available_version');
    expect(errorOf((await trim({ min_available_version: 2 })).body)).toBe(
      'minimum available version cannot be set when minimum encryption version is not set',
    );
    await server.call('POST', '/v1/transit/keys/trimmed/config', {
      min_decryption_version: 3,
      min_encryption_version: 3,
    });
    expect(errorOf((await trim({ min_available_version: 4 })).body)).toBe(
      'minimum available version cannot be greater than minmum encryption version',
    );
    expect(errorOf((await trim({ min_available_version: 0 })).body)).toBe(
      'minimum available version should be positive',
    );
    // openbao checks "decremented" (below the current 0) before "negative".
    expect(errorOf((await trim({ min_available_version: -1 })).body)).toBe(
      'minimum available version cannot be decremented',
    );
    for (const bad of ['two', 2.5, true, { n: 1 }, '99999999999']) {
      expect((await trim({ min_available_version: bad })).status).toBe(400);
    }
    const read = await server.call('GET', '/v1/transit/keys/trimmed');
    expect(Object.keys(data(read.body).keys as Data)).toEqual(['1', '2', '3', '4']);
  });

  it('removes the versions below, which then never decrypt; later ones still do', async () => {
    const res = (await client.write('transit/keys/trimmed/trim', { min_available_version: 3 })) as {
      data: Data;
    };
    expect(res.data).toMatchObject({ min_available_version: 3, latest_version: 4 });
    expect(Object.keys(res.data.keys as Data)).toEqual(['3', '4']);
    const below = await server.call('POST', '/v1/transit/keys/trimmed/config', {
      min_decryption_version: 2,
    });
    expect(errorOf(below.body)).toBe(
      'min decryption version should not be less then min available version',
    );
    const encBelow = await server.call('POST', '/v1/transit/keys/trimmed/config', {
      min_encryption_version: 0,
    });
    expect(errorOf(encBelow.body)).toBe(
      'min encryption version should not be less than min available version',
    );
    const v1 = await server.call('POST', '/v1/transit/decrypt/trimmed', {
      ciphertext: ciphertexts[0],
    });
    expect(v1.status).toBe(400);
    const v3 = await server.call('POST', '/v1/transit/decrypt/trimmed', {
      ciphertext: ciphertexts[2],
    });
    expect(text(data(v3.body).plaintext)).toBe('v3');
    const lower = await server.call('POST', '/v1/transit/keys/trimmed/trim', {
      min_available_version: 2,
    });
    expect(errorOf(lower.body)).toBe('minimum available version cannot be decremented');
  });

  it('the trimmed versions are destroyed tombstones through REST too', async () => {
    const response = await fetch(`${server.url}/api/v1/keys/alias%2Fvault%2Ftransit%2Ftrimmed`, {
      headers: { 'x-custos-token': server.token },
    });
    const view = (await response.json()) as { versions: { version: number; state: string }[] };
    expect(view.versions.map((v) => [v.version, v.state])).toEqual([
      [1, 'Destroyed'],
      [2, 'Destroyed'],
      [3, 'Enabled'],
      [4, 'Enabled'],
    ]);
  });
});

describe('export', () => {
  it('refuses keys that are not exportable, except their public keys', async () => {
    await server.call('POST', '/v1/transit/keys/closed', {});
    const res = await server.call('GET', '/v1/transit/export/encryption-key/closed');
    expect(res).toEqual({
      status: 400,
      body: { errors: ['private key material is not exportable'] },
    });
    await server.call('POST', '/v1/transit/keys/closed-ec', { type: 'ecdsa-p256' });
    const pub = await server.call('GET', '/v1/transit/export/public-key/closed-ec');
    expect(pub.status).toBe(200);
    const read = await server.call('GET', '/v1/transit/keys/closed-ec');
    const readKey = ((data(read.body).keys as Data)['1'] as Data).public_key;
    expect(String(readKey).trim()).toBe((data(pub.body).keys as Data)['1']);
  });

  it('an exported AES key opens the Custos ciphertext with node:crypto alone', async () => {
    await client.write('transit/keys/open', { exportable: true });
    const enc = (await client.write('transit/encrypt/open', { plaintext: b64('leaves') })) as {
      data: Data;
    };
    const exported = (await client.read('transit/export/encryption-key/open/latest')) as {
      data: Data;
    };
    expect(exported.data).toMatchObject({ name: 'open', type: 'aes256-gcm96' });
    const key = Buffer.from(String((exported.data.keys as Data)['1']), 'base64');
    expect(key).toHaveLength(32);
    const blob = Buffer.from(String(enc.data.ciphertext).slice('vault:v1:'.length), 'base64');
    // docs/formats.md: header (34 bytes) ‖ canonical empty context (00 00) is the AAD.
    const decipher = createCipheriv('aes-256-gcm', key, blob.subarray(22, 34));
    decipher.setAAD(Buffer.concat([blob.subarray(0, 34), Buffer.from([0, 0])]));
    const body = blob.subarray(34, blob.length - 16);
    expect(Buffer.concat([decipher.update(body)]).toString()).toBe('leaves');
  });

  it('every version, one version, v-prefixed or latest; refuses bad or retired versions', async () => {
    await server.call('POST', '/v1/transit/keys/open/rotate', {});
    const all = await server.call('GET', '/v1/transit/export/encryption-key/open');
    expect(Object.keys(data(all.body).keys as Data)).toEqual(['1', '2']);
    const v1 = await server.call('GET', '/v1/transit/export/encryption-key/open/v1');
    expect(Object.keys(data(v1.body).keys as Data)).toEqual(['1']);
    for (const bad of ['abc', 'v', '-1', '1.5']) {
      const res = await server.call('GET', `/v1/transit/export/encryption-key/open/${bad}`);
      expect(res.status, bad).toBe(400);
    }
    const missing = await server.call('GET', '/v1/transit/export/encryption-key/open/9');
    expect(errorOf(missing.body)).toBe('version does not exist or cannot be found');
    await server.call('POST', '/v1/transit/keys/open/config', { min_decryption_version: 2 });
    const retired = await server.call('GET', '/v1/transit/export/encryption-key/open/1');
    expect(errorOf(retired.body)).toBe('version for export is below minimum decryption version');
  });

  it('signing keys in Vault encodings that sign what the door verifies', async () => {
    const message = Buffer.from('signed outside');
    for (const [type, header] of [
      ['ecdsa-p256', '-----BEGIN EC PRIVATE KEY-----'],
      ['rsa-2048', '-----BEGIN RSA PRIVATE KEY-----'],
      ['ed25519', undefined],
    ] as const) {
      const name = `exp-${type}`;
      await server.call('POST', `/v1/transit/keys/${name}`, { type, exportable: true });
      const res = await server.call('GET', `/v1/transit/export/signing-key/${name}/1`);
      expect(res.status, type).toBe(200);
      const text = String((data(res.body).keys as Data)['1']);
      let signature: Buffer;
      if (header === undefined) {
        const raw = Buffer.from(text, 'base64');
        expect(raw).toHaveLength(64);
        const pkcs8 = Buffer.concat([
          Buffer.from('302e020100300506032b657004220420', 'hex'),
          raw.subarray(0, 32),
        ]);
        const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
        const jwkX = createPublicKey(key).export({ format: 'jwk' }).x ?? '';
        expect(Buffer.from(jwkX, 'base64url').equals(raw.subarray(32))).toBe(true);
        signature = sign(null, message, key);
      } else {
        expect(text.startsWith(header)).toBe(true);
        const key = createPrivateKey(text);
        signature =
          type === 'rsa-2048'
            ? sign('sha256', message, {
                key,
                padding: 6 /* RSA_PKCS1_PSS_PADDING */,
                saltLength: 32,
              })
            : sign('sha256', message, key);
      }
      const verified = await server.call('POST', `/v1/transit/verify/${name}`, {
        input: message.toString('base64'),
        signature: `vault:v1:${signature.toString('base64')}`,
      });
      expect(data(verified.body).valid, type).toBe(true);
      const pkcs8 = await server.call('GET', `/v1/transit/export/signing-key/${name}/1?format=pem`);
      expect(String((data(pkcs8.body).keys as Data)['1'])).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    }
  });

  it('hmac keys export their key; wrong type, format or key kind is 400', async () => {
    await server.call('POST', '/v1/transit/keys/mac', { type: 'hmac', exportable: true });
    const res = await server.call('GET', '/v1/transit/export/hmac-key/mac');
    expect(Buffer.from(String((data(res.body).keys as Data)['1']), 'base64')).toHaveLength(32);
    const cases: [string, string][] = [
      ['/v1/transit/export/nonsense/mac', 'invalid export type: nonsense'],
      ['/v1/transit/export/encryption-key/mac', 'encryption not supported for the key'],
      ['/v1/transit/export/signing-key/open', 'signing not supported for the key'],
      [
        '/v1/transit/export/hmac-key/mac?format=pem',
        'unknown key format for symmetric key; supported values are `` or `raw`',
      ],
      ['/v1/transit/export/hmac-key/mac?format=xml', 'invalid format: xml'],
    ];
    for (const [path, message] of cases) {
      const bad = await server.call('GET', path);
      expect(bad, path).toEqual({ status: 400, body: { errors: [message] } });
    }
    const absent = await server.call('GET', '/v1/transit/export/encryption-key/absent');
    expect(absent.status).toBe(404);
  });
});
