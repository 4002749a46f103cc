import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, startVaultServer, text, type VaultServer, type Data, data } from './vault-harness.js';

let server: VaultServer;

beforeAll(async () => {
  server = await startVaultServer({ vault: { mounts: ['transit', 'team-a'] } });
});
afterAll(async () => {
  await server.close();
});

describe('sys paths', () => {
  it('sys/health is 200 unsealed, public, with Vault fields', async () => {
    const res = await server.call('GET', '/v1/sys/health', undefined, null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ initialized: true, sealed: false, standby: false });
  });

  it('sys/health honours activecode', async () => {
    const res = await server.call('GET', '/v1/sys/health?activecode=299', undefined, null);
    expect(res.status).toBe(299);
  });

  it('sys/seal-status', async () => {
    const res = await server.call('GET', '/v1/sys/seal-status', undefined, null);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sealed: false, initialized: true, type: 'dev-file' });
  });

  it('lookup-self names the policies, never the token', async () => {
    const res = await server.call('GET', '/v1/auth/token/lookup-self');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(server.token);
    expect(data(res.body)).toMatchObject({ display_name: 'root' });
  });

  it('no token and a bad token are 403 permission denied; Bearer works too', async () => {
    const none = await server.call('GET', '/v1/transit/keys/x', undefined, null);
    expect(none).toEqual({ status: 403, body: { errors: ['permission denied'] } });
    const bad = await server.call('POST', '/v1/transit/encrypt/x', { plaintext: 'aGk=' }, 'nope');
    expect(bad).toEqual({ status: 403, body: { errors: ['permission denied'] } });
    const response = await fetch(`${server.url}/v1/auth/token/lookup-self`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(response.status).toBe(200);
  });

  it('unknown paths and keys are 404 with errors[]', async () => {
    const route = await server.call('GET', '/v1/transit/nothing-here');
    expect(route.status).toBe(404);
    expect(Array.isArray(route.body.errors)).toBe(true);
    const key = await server.call('GET', '/v1/transit/keys/absent');
    expect(key.status).toBe(404);
  });
});

describe('keys', () => {
  it('refuses types without a Custos spec, unknown types, and convergence without derivation', async () => {
    for (const type of ['xchacha20-poly1305', 'aes128-cmac', 'nonsense', '__proto__']) {
      const res = await server.call('POST', '/v1/transit/keys/t', { type });
      expect(res.status).toBe(400);
    }
    const convergent = await server.call('POST', '/v1/transit/keys/d', {
      convergent_encryption: true,
    });
    expect(convergent).toMatchObject({
      status: 400,
      body: { errors: ['convergent encryption requires derivation to be enabled'] },
    });
  });

  it('reads asymmetric keys with their public keys', async () => {
    await server.call('POST', '/v1/transit/keys/signer', { type: 'ecdsa-p256' });
    const res = await server.call('GET', '/v1/transit/keys/signer');
    const body = data(res.body);
    expect(body).toMatchObject({ type: 'ecdsa-p256', supports_signing: true });
    const v1 = (body.keys as Record<string, Data>)['1'];
    expect(v1?.name).toBe('P-256');
    expect(String(v1?.public_key)).toContain('BEGIN PUBLIC KEY');
  });

  it('deletes only when deletion_allowed, then the name is gone', async () => {
    await server.call('POST', '/v1/transit/keys/gone', {});
    expect((await server.call('DELETE', '/v1/transit/keys/gone')).status).toBe(400);
    await server.call('POST', '/v1/transit/keys/gone/config', { deletion_allowed: true });
    expect((await server.call('DELETE', '/v1/transit/keys/gone')).status).toBe(204);
    expect((await server.call('GET', '/v1/transit/keys/gone')).status).toBe(404);
  });

  it('mounts are separate name spaces', async () => {
    await server.call('POST', '/v1/team-a/keys/shared', {});
    expect((await server.call('GET', '/v1/team-a/keys/shared')).status).toBe(200);
    expect((await server.call('GET', '/v1/transit/keys/shared')).status).toBe(404);
    const list = await server.call('GET', '/v1/team-a/keys?list=true');
    expect(data(list.body).keys).toEqual(['shared']);
  });

  it('encrypt creates a missing key, as Vault does', async () => {
    const res = await server.call('POST', '/v1/transit/encrypt/upserted', { plaintext: b64('a') });
    expect(res.status).toBe(200);
    expect((await server.call('GET', '/v1/transit/keys/upserted')).status).toBe(200);
  });
});

describe('encryption', () => {
  it('batch with a bad item: 400, the good items still answered', async () => {
    const enc = await server.call('POST', '/v1/transit/encrypt/batch', {
      batch_input: [{ plaintext: b64('one') }, { plaintext: '%%%' }, { plaintext: b64('three') }],
    });
    expect(enc.status).toBe(400);
    const results = data(enc.body).batch_results as Data[];
    expect(results).toHaveLength(3);
    expect(results[0]?.ciphertext).toMatch(/^vault:v1:/);
    expect(typeof results[1]?.error).toBe('string');
    expect(results[2]?.ciphertext).toMatch(/^vault:v1:/);
    const dec = await server.call('POST', '/v1/transit/decrypt/batch', {
      batch_input: [
        { ciphertext: results[0]?.ciphertext, reference: 'a' },
        { ciphertext: 'vault:v1:AAAA', reference: 'b' },
        { ciphertext: results[2]?.ciphertext, reference: 'c' },
      ],
    });
    expect(dec.status).toBe(400);
    const out = data(dec.body).batch_results as Data[];
    expect(text(out[0]?.plaintext)).toBe('one');
    expect(out[1]).toMatchObject({ reference: 'b' });
    expect(out[1]?.error).toBeDefined();
    expect(out[2]).toMatchObject({ reference: 'c' });
    expect(text(out[2]?.plaintext)).toBe('three');
  });

  it('an all-good batch is 200', async () => {
    const enc = await server.call('POST', '/v1/transit/encrypt/batch', {
      batch_input: [{ plaintext: b64('x') }, { plaintext: b64('y') }],
    });
    expect(enc.status).toBe(200);
  });

  it('associated_data binds the ciphertext', async () => {
    const aad = b64('order-7');
    const enc = await server.call('POST', '/v1/transit/encrypt/batch', {
      plaintext: b64('p'),
      associated_data: aad,
    });
    const ciphertext = data(enc.body).ciphertext;
    const wrong = await server.call('POST', '/v1/transit/decrypt/batch', { ciphertext });
    expect(wrong.status).toBe(400);
    const right = await server.call('POST', '/v1/transit/decrypt/batch', {
      ciphertext,
      associated_data: aad,
    });
    expect(text(data(right.body).plaintext)).toBe('p');
  });

  it('the payload after vault:vN: decrypts through the native REST door', async () => {
    const enc = await server.call('POST', '/v1/transit/encrypt/batch', { plaintext: b64('rest') });
    const blob = String(data(enc.body).ciphertext).replace(/^vault:v\d+:/, '');
    const response = await fetch(`${server.url}/api/v1/decrypt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custos-token': server.token },
      body: JSON.stringify({ ciphertext: blob }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Data;
    expect(text(body.plaintext)).toBe('rest');
  });

  it('datakey plaintext and wrapped', async () => {
    const plain = await server.call('POST', '/v1/transit/datakey/plaintext/batch', {});
    const d = data(plain.body);
    expect(Buffer.from(String(d.plaintext), 'base64')).toHaveLength(32);
    const back = await server.call('POST', '/v1/transit/decrypt/batch', {
      ciphertext: d.ciphertext,
    });
    expect(data(back.body).plaintext).toBe(d.plaintext);
    const wrapped = await server.call('POST', '/v1/transit/datakey/wrapped/batch', { bits: 512 });
    expect(data(wrapped.body).plaintext).toBeUndefined();
    expect(data(wrapped.body).ciphertext).toMatch(/^vault:v1:/);
  });
});

describe('signing, hmac, random, hash', () => {
  it('sign and verify with ecdsa (asn1 and jws), ed25519 and rsa', async () => {
    const cases: [string, Data][] = [
      ['ecdsa-p256', {}],
      ['ecdsa-p256', { marshaling_algorithm: 'jws' }],
      ['ed25519', {}],
      ['rsa-2048', { signature_algorithm: 'pkcs1v15', hash_algorithm: 'sha2-512' }],
      ['rsa-2048', {}],
    ];
    for (const [type, options] of cases) {
      const name = `s-${type}`;
      await server.call('POST', `/v1/transit/keys/${name}`, { type });
      const input = b64('message');
      const signed = await server.call('POST', `/v1/transit/sign/${name}`, { input, ...options });
      expect(signed.status).toBe(200);
      const signature = data(signed.body).signature;
      expect(signature).toMatch(/^vault:v1:/);
      const ok = await server.call('POST', `/v1/transit/verify/${name}`, {
        input,
        signature,
        ...options,
      });
      expect(data(ok.body).valid).toBe(true);
      const bad = await server.call('POST', `/v1/transit/verify/${name}`, {
        input: b64('other'),
        signature,
        ...options,
      });
      expect(data(bad.body).valid).toBe(false);
    }
  });

  it('hmac and verify by hmac', async () => {
    await server.call('POST', '/v1/transit/keys/mac', { type: 'hmac' });
    const input = b64('data');
    const mac = await server.call('POST', '/v1/transit/hmac/mac', { input });
    expect(data(mac.body).hmac).toMatch(/^vault:v1:/);
    const ok = await server.call('POST', '/v1/transit/verify/mac', {
      input,
      hmac: data(mac.body).hmac,
    });
    expect(data(ok.body).valid).toBe(true);
  });

  it('random and hash', async () => {
    const random = await server.call('POST', '/v1/transit/random/16', { format: 'hex' });
    expect(String(data(random.body).random_bytes)).toMatch(/^[0-9a-f]{32}$/);
    const hash = await server.call('POST', '/v1/transit/hash/sha2-256', {
      input: b64('abc'),
      format: 'hex',
    });
    expect(data(hash.body).sum).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('cache-config', () => {
  it('reads and accepts a size (no effect in Custos)', async () => {
    const read = await server.call('GET', '/v1/transit/cache-config');
    expect(read.status).toBe(200);
    expect(data(read.body)).toEqual({ size: 0 });
    const write = await server.call('POST', '/v1/transit/cache-config', { size: 500 });
    expect(write.status).toBe(200);
  });
});

describe('backup and restore', () => {
  it('a backup restores under a new name; old ciphertexts decrypt with it', async () => {
    await server.call('POST', '/v1/transit/keys/kept', {});
    const enc = await server.call('POST', '/v1/transit/encrypt/kept', { plaintext: b64('keep') });
    const backup = await server.call('GET', '/v1/transit/backup/kept');
    expect(backup.status).toBe(200);
    const blob = data(backup.body).backup;
    // The key still exists here, so restoring the same key id is refused.
    const again = await server.call('POST', '/v1/transit/restore/kept-copy', { backup: blob });
    expect(again.status).toBe(400);
    const bad = await server.call('POST', '/v1/transit/restore/x', { backup: b64('garbage') });
    expect(bad.status).toBe(400);
    expect(data(enc.body).ciphertext).toMatch(/^vault:v1:/);
  });
});
