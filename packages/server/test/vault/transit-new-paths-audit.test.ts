import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_VERSION } from '../../src/core/identity.js';
import { ROOT_PRINCIPAL } from '../../src/core/principal.js';
import type { RequestContext } from '../../src/service/context.js';
import { createPrincipal, createToken, putPolicy } from '../../src/service/identity/index.js';
import { b64, startVaultServer, type VaultServer } from './vault-harness.js';

let server: VaultServer;
let root: RequestContext;

beforeAll(async () => {
  server = await startVaultServer();
  root = { kms: server.app.http.kms, principal: ROOT_PRINCIPAL, requestId: 'test' };
  await server.call('POST', '/v1/transit/keys/open', { exportable: true });
});
afterAll(async () => {
  await server.close();
});

async function tokenFor(id: string, actions: string[]): Promise<string> {
  await putPolicy(root, {
    name: id,
    document: {
      version: POLICY_VERSION,
      statements: [{ effect: 'allow', actions, resources: ['alias/vault/transit/open'] }],
    },
  });
  await createPrincipal(root, { id: `service/${id}`, kind: 'service', policies: [id] });
  return (await createToken(root, { principal: `service/${id}` })).token;
}

interface AuditRecord {
  operation: string;
  door: string;
  outcome: string;
  principal: string;
}

async function records(operation: string): Promise<AuditRecord[]> {
  const response = await fetch(`${server.url}/api/v1/audit?operation=${operation}`, {
    headers: { 'x-custos-token': server.token },
  });
  return ((await response.json()) as { records: AuditRecord[] }).records;
}

describe('the new Vault paths honour policies and are audited as the vault door', () => {
  it('export needs kms:ExportKey; both outcomes are recorded', async () => {
    const describer = await tokenFor('describer', ['kms:DescribeKey', 'kms:Encrypt']);
    const denied = await server.call(
      'GET',
      '/v1/transit/export/encryption-key/open',
      undefined,
      describer,
    );
    expect(denied).toEqual({ status: 403, body: { errors: ['permission denied'] } });
    const exporter = await tokenFor('exporter', ['kms:ExportKey']);
    const allowed = await server.call(
      'GET',
      '/v1/transit/export/encryption-key/open',
      undefined,
      exporter,
    );
    expect(allowed.status).toBe(200);
    const seen = await records('vaultExportKey');
    expect(seen.map((r) => [r.door, r.outcome, r.principal])).toEqual([
      ['vault', 'success', 'service/exporter'],
      ['vault', 'denied', 'service/describer'],
    ]);
  });

  it('making a key exportable later needs kms:ExportKey too', async () => {
    await server.call('POST', '/v1/transit/keys/closed', {});
    const policy = (actions: string[]) => ({
      version: POLICY_VERSION,
      statements: [{ effect: 'allow', actions, resources: ['alias/vault/transit/closed'] }],
    });
    await putPolicy(root, {
      name: 'configurer',
      document: policy(['kms:UpdateKeyVersion', 'kms:DescribeKey']),
    });
    await createPrincipal(root, {
      id: 'service/configurer',
      kind: 'service',
      policies: ['configurer'],
    });
    const token = (await createToken(root, { principal: 'service/configurer' })).token;
    const denied = await server.call(
      'POST',
      '/v1/transit/keys/closed/config',
      { exportable: true },
      token,
    );
    expect(denied.status).toBe(403);
    const read = await server.call('GET', '/v1/transit/keys/closed');
    expect((read.body.data as { exportable: boolean }).exportable).toBe(false);
    const ok = await server.call('POST', '/v1/transit/keys/closed/config', { exportable: true });
    expect((ok.body.data as { exportable: boolean }).exportable).toBe(true);
  });

  it('trim needs kms:UpdateKeyVersion and kms:ScheduleKeyDeletion', async () => {
    await server.call('POST', '/v1/transit/keys/open/rotate', {});
    await server.call('POST', '/v1/transit/keys/open/config', {
      min_decryption_version: 2,
      min_encryption_version: 2,
    });
    const half = await tokenFor('half', ['kms:UpdateKeyVersion', 'kms:DescribeKey']);
    const denied = await server.call(
      'POST',
      '/v1/transit/keys/open/trim',
      { min_available_version: 2 },
      half,
    );
    expect(denied.status).toBe(403);
    const ok = await server.call('POST', '/v1/transit/keys/open/trim', {
      min_available_version: 2,
    });
    expect(ok.status).toBe(200);
    expect((await records('vaultTrimKey')).map((r) => r.outcome)).toEqual(['success', 'denied']);
  });

  it('a LIST request goes through authentication and authorization like any other', async () => {
    const nobody = await tokenFor('nobody', ['kms:DescribeKey']);
    const port = Number(new URL(server.url).port);
    const response = await new Promise<string>((resolve, reject) => {
      // Written, not ended: a client that half-closes first gets no answer (Node closes).
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `LIST /v1/transit/keys HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${nobody}\r\n\r\n`,
        );
      });
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => {
        resolve(text);
      });
      socket.on('error', reject);
    });
    expect(response).toMatch(/^HTTP\/1\.1 403 /);
  });

  it('derived encryption is audited as encrypt with the vault door', async () => {
    await server.call('POST', '/v1/transit/keys/d', { derived: true });
    await server.call('POST', '/v1/transit/encrypt/d', { plaintext: b64('x'), context: b64('c') });
    const [last] = await records('encrypt');
    expect(last).toMatchObject({ door: 'vault', outcome: 'success' });
  });
});
