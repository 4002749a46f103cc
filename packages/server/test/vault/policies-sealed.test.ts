import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_PRINCIPAL } from '../../src/core/principal.js';
import { POLICY_VERSION } from '../../src/core/identity.js';
import type { RequestContext } from '../../src/service/context.js';
import { createPrincipal, createToken, putPolicy } from '../../src/service/identity/index.js';
import { b64, startVaultServer, type VaultServer } from './vault-harness.js';

let server: VaultServer;
let root: RequestContext;

beforeAll(async () => {
  server = await startVaultServer();
  root = { kms: server.app.http.kms, principal: ROOT_PRINCIPAL, requestId: 'test' };
});
afterAll(async () => {
  await server.close();
});

/** A token for a new principal whose one policy allows `actions` on `resources`. */
async function tokenFor(id: string, actions: string[], resources: string[]): Promise<string> {
  await putPolicy(root, {
    name: id,
    document: {
      version: POLICY_VERSION,
      statements: [{ effect: 'allow', actions, resources }],
    },
  });
  await createPrincipal(root, { id: `service/${id}`, kind: 'service', policies: [id] });
  return (await createToken(root, { principal: `service/${id}` })).token;
}

describe('Vault keys honour Custos policies', () => {
  it('a token allowed encrypt on one Vault key may not decrypt, nor touch another key', async () => {
    await server.call('POST', '/v1/transit/keys/app', {});
    await server.call('POST', '/v1/transit/keys/other', {});
    const token = await tokenFor('encrypter', ['kms:Encrypt'], ['alias/vault/transit/app']);
    const enc = await server.call(
      'POST',
      '/v1/transit/encrypt/app',
      { plaintext: b64('x') },
      token,
    );
    expect(enc.status).toBe(200);
    const ciphertext = (enc.body.data as { ciphertext: string }).ciphertext;
    const dec = await server.call('POST', '/v1/transit/decrypt/app', { ciphertext }, token);
    expect(dec).toEqual({ status: 403, body: { errors: ['permission denied'] } });
    const other = await server.call(
      'POST',
      '/v1/transit/encrypt/other',
      { plaintext: b64('x') },
      token,
    );
    expect(other.status).toBe(403);
  });

  it('a batch whose caller is denied fails as a whole with 403', async () => {
    const token = await tokenFor('nobody', ['kms:DescribeKey'], ['*']);
    const res = await server.call(
      'POST',
      '/v1/transit/encrypt/app',
      { batch_input: [{ plaintext: b64('a') }] },
      token,
    );
    expect(res.status).toBe(403);
  });
});

describe('sealed', () => {
  it('transit paths answer 503 and sys/health 503 with sealed: true', async () => {
    const sealed = await fetch(`${server.url}/api/v1/sys/seal`, {
      method: 'POST',
      headers: { 'x-custos-token': server.token },
    });
    expect(sealed.status).toBeLessThan(300);
    const health = await server.call('GET', '/v1/sys/health', undefined, null);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ initialized: true, sealed: true });
    const enc = await server.call('POST', '/v1/transit/encrypt/app', { plaintext: b64('x') });
    expect(enc).toEqual({ status: 503, body: { errors: ['Vault is sealed'] } });
  });
});
