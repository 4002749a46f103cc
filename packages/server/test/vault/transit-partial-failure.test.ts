import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, startVaultServer, type VaultServer, type Data } from './vault-harness.js';

let server: VaultServer;
let client: ReturnType<typeof vault>;

beforeAll(async () => {
  server = await startVaultServer();
  client = vault({ endpoint: server.url, token: server.token, noCustomHTTPVerbs: true });
  await client.write('transit/keys/pf', {});
  await client.write('transit/keys/pf-sign', { type: 'ecdsa-p256' });
  await client.write('transit/keys/pf-mac', { type: 'hmac' });
});
afterAll(async () => {
  await server.close();
});

const results = (body: Data): Data[] => (body.data as Data).batch_results as Data[];

describe('partial_failure_response_code (openbao batchRequestResponse)', () => {
  it('encrypt: some items fail → the given code, every item still answered', async () => {
    const out = await server.call('POST', '/v1/transit/encrypt/pf', {
      partial_failure_response_code: 207,
      batch_input: [{ plaintext: b64('a'), reference: 'r1' }, { plaintext: '%%%' }],
    });
    expect(out.status).toBe(207);
    const [good, bad] = results(out.body);
    expect(good?.ciphertext).toMatch(/^vault:v1:/);
    expect(good?.reference).toBe('r1');
    expect(bad?.error).toBe('plaintext must be base64');
    expect(out.body.warnings).toBeNull();
  });

  it('the real node-vault client sees the override as a success', async () => {
    const out = (await client.write('transit/encrypt/pf', {
      partial_failure_response_code: 200,
      batch_input: [{ plaintext: b64('x') }, { plaintext: '%%%' }],
    })) as { data: { batch_results: Data[] } };
    expect(out.data.batch_results).toHaveLength(2);
    expect(out.data.batch_results[1]?.error).toBe('plaintext must be base64');
  });

  it('every item failing keeps 400 whatever the override', async () => {
    const out = await server.call('POST', '/v1/transit/encrypt/pf', {
      partial_failure_response_code: 207,
      batch_input: [{ plaintext: '%%%' }, { plaintext: '@@' }],
    });
    expect(out.status).toBe(400);
    expect(results(out.body).every((r) => typeof r.error === 'string')).toBe(true);
  });

  it('all items succeeding is 200, not the override', async () => {
    const out = await server.call('POST', '/v1/transit/encrypt/pf', {
      partial_failure_response_code: 207,
      batch_input: [{ plaintext: b64('a') }],
    });
    expect(out.status).toBe(200);
  });

  it('decrypt and rewrap take it too; a string code is read as Vault reads TypeInt', async () => {
    const enc = await server.call('POST', '/v1/transit/encrypt/pf', { plaintext: b64('p') });
    const ciphertext = (enc.body.data as Data).ciphertext;
    for (const path of ['decrypt', 'rewrap']) {
      const out = await server.call('POST', `/v1/transit/${path}/pf`, {
        partial_failure_response_code: '206',
        batch_input: [{ ciphertext }, { ciphertext: 'vault:v1:AAAA' }],
      });
      expect(out.status, path).toBe(206);
      expect(results(out.body)[1]?.error, path).toBeTypeOf('string');
    }
  });

  it('sign, verify and hmac take it', async () => {
    const sign = await server.call('POST', '/v1/transit/sign/pf-sign', {
      partial_failure_response_code: 207,
      batch_input: [{ input: b64('m') }, { input: 'not base64!' }],
    });
    expect(sign.status).toBe(207);
    const signature = results(sign.body)[0]?.signature;
    const verify = await server.call('POST', '/v1/transit/verify/pf-sign', {
      partial_failure_response_code: 207,
      batch_input: [
        { input: b64('m'), signature },
        { input: b64('m'), signature: 'garbage' },
      ],
    });
    expect(verify.status).toBe(207);
    expect(results(verify.body)[0]?.valid).toBe(true);
    const hmac = await server.call('POST', '/v1/transit/hmac/pf-mac', {
      partial_failure_response_code: 299,
      batch_input: [{ input: b64('m') }, { input: '***' }],
    });
    expect(hmac.status).toBe(299);
    expect(results(hmac.body)[0]?.hmac).toMatch(/^vault:v1:/);
  });

  it('without it, rewrap, sign, verify and hmac batches answer 200 as openbao does', async () => {
    const bad = [{ input: '***' }, { input: '!!!' }];
    for (const path of ['sign/pf-sign', 'hmac/pf-mac']) {
      const some = await server.call('POST', `/v1/transit/${path}`, {
        batch_input: [{ input: b64('m') }, ...bad],
      });
      expect(some.status, path).toBe(200);
      expect(results(some.body)[1]?.error, path).toBe('input must be base64');
      const all = await server.call('POST', `/v1/transit/${path}`, { batch_input: bad });
      expect(all.status, path).toBe(200);
      // With the override the encrypt rule holds: every item failing is 400.
      const overridden = await server.call('POST', `/v1/transit/${path}`, {
        partial_failure_response_code: 207,
        batch_input: bad,
      });
      expect(overridden.status, path).toBe(400);
    }
    const rewrap = await server.call('POST', '/v1/transit/rewrap/pf', {
      batch_input: [{ ciphertext: 'vault:v1:AAAA' }],
    });
    expect(rewrap.status).toBe(200);
    expect(results(rewrap.body)[0]?.error).toBeTypeOf('string');
    const verify = await server.call('POST', '/v1/transit/verify/pf-sign', {
      batch_input: [{ input: b64('m'), signature: 'vault:v1:AAAA' }],
    });
    expect(verify.status).toBe(200);
  });

  it('decrypt keeps openbao’s 400 for a batch with failed items', async () => {
    const out = await server.call('POST', '/v1/transit/decrypt/pf', {
      batch_input: [{ ciphertext: 'vault:v1:AAAA' }],
    });
    expect(out.status).toBe(400);
  });

  it('a code outside 1–599 is ignored with Vault’s warning', async () => {
    for (const code of [0, 600, -5, '1000']) {
      const out = await server.call('POST', '/v1/transit/encrypt/pf', {
        partial_failure_response_code: code,
        batch_input: [{ plaintext: b64('a') }, { plaintext: '%%%' }],
      });
      expect(out.status, String(code)).toBe(400);
      expect(out.body.warnings).toEqual([
        'invalid HTTP response code override from partial_failure_response_code, reverting to 400',
      ]);
    }
  });

  it('a malformed code is a 400 naming the field, and nothing is encrypted', async () => {
    for (const code of ['abc', 2.5, true, { a: 1 }, '1e3', '9999999999']) {
      const out = await server.call('POST', '/v1/transit/encrypt/pf', {
        partial_failure_response_code: code,
        batch_input: [{ plaintext: b64('a') }],
      });
      expect(out.status, JSON.stringify(code)).toBe(400);
      expect(out.body.errors).toEqual(['invalid request: partial_failure_response_code']);
      expect(out.body.data).toBeUndefined();
    }
  });
});
