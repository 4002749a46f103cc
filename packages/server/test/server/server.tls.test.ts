import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startServer,
  tlsCall,
  type ServerProcess,
  PROCESS_TEST_TIMEOUT_MS,
} from './process-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'custos-tls-'));
const file = (name: string) => join(dir, name);
const read = (name: string) => readFileSync(file(name));

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** A P-256 key and a certificate for `subject`, signed by the test CA (or self-signed). */
function issue(name: string, subject: string, extensions: string, signer?: 'ca') {
  const ext = file(`${name}.ext`);
  writeFileSync(ext, extensions);
  openssl(
    'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', subject,
  ); // prettier-ignore
  const sign =
    signer === 'ca'
      ? ['-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial']
      : ['-signkey', `${name}-key.pem`];
  openssl('x509', '-req', '-in', `${name}.csr`, ...sign, '-out', `${name}.pem`, '-days', '1', '-extfile', ext); // prettier-ignore
}

let server: ServerProcess;
let token: string;
let ca: Buffer;

beforeAll(async () => {
  openssl(
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Custos Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign',
  ); // prettier-ignore
  issue(
    'server',
    '/CN=127.0.0.1',
    'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n',
    'ca',
  );
  issue('client', '/O=Example/CN=app', 'extendedKeyUsage=clientAuth\n', 'ca');
  issue('rogue', '/CN=app', 'extendedKeyUsage=clientAuth\n');
  ca = read('ca.pem');
  writeFileSync(
    file('custos.yaml'),
    [
      `dataDir: ${file('data')}`,
      'tls:',
      `  cert: ${file('server.pem')}`,
      `  key: ${file('server-key.pem')}`,
      `  clientCa: ${file('ca.pem')}`,
      '',
    ].join('\n'),
  );
  server = await startServer({ config: file('custos.yaml'), httpsCa: ca });
  token = readFileSync(file('data/root-token'), 'utf8').trim();
}, PROCESS_TEST_TIMEOUT_MS);

afterAll(async () => {
  await server.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTPS listener with client certificates', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('speaks HTTPS only', async () => {
    expect(server.addr).toMatch(/^https:/);
    const plain = await fetch(server.addr.replace('https:', 'http:') + '/health/live').then(
      (response) => response.status,
      () => 'refused',
    );
    expect(plain).not.toBe(200);
    const created = await tlsCall(`${server.addr}/api/v1/keys`, {
      ca,
      method: 'POST',
      token,
      body: {},
    });
    expect(created.status).toBe(201);
  });

  it('an unmapped client certificate is UNAUTHENTICATED', async () => {
    const response = await tlsCall(`${server.addr}/api/v1/keys`, {
      ca,
      cert: read('client.pem'),
      key: read('client-key.pem'),
    });
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('a mapped certificate acts as its principal, with its policies', async () => {
    const url = (path: string) => `${server.addr}/api/v1${path}`;
    const policy = await tlsCall(url('/policies/list-keys'), {
      ca,
      method: 'PUT',
      token,
      body: {
        version: '2026-11-01',
        statements: [{ effect: 'allow', actions: ['kms:ListKeys'], resources: ['*'] }],
      },
    });
    expect(policy.status).toBeLessThan(300);
    const principal = await tlsCall(url('/principals'), {
      ca,
      method: 'POST',
      token,
      body: { id: 'service/app', kind: 'service', policies: ['list-keys'] },
    });
    expect(principal.status).toBe(201);
    const fingerprint = openssl('x509', '-in', 'client.pem', '-noout', '-fingerprint', '-sha256')
      .split('=')[1]!
      .trim();
    const mapped = await tlsCall(url('/principals/service%2Fapp/certificates'), {
      ca,
      method: 'POST',
      token,
      body: { fingerprint256: fingerprint },
    });
    expect(mapped.status).toBe(201);
    const client = { ca, cert: read('client.pem'), key: read('client-key.pem') };
    expect((await tlsCall(url('/keys'), client)).status).toBe(200);
    const denied = await tlsCall(url('/keys'), { ...client, method: 'POST', body: {} });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ code: 'ACCESS_DENIED' });
  });

  it('a certificate from another CA is ignored: the caller is anonymous', async () => {
    const response = await tlsCall(`${server.addr}/api/v1/keys`, {
      ca,
      cert: read('rogue.pem'),
      key: read('rogue-key.pem'),
    });
    expect(response.status).toBe(403);
    expect(response.json).toMatchObject({ code: 'ACCESS_DENIED' });
  });

  it('with requireClientCert the handshake needs a certificate from the CA', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    const client = { cert: read('client.pem'), key: read('client-key.pem') };
    server = await startServer({
      config: file('custos.yaml'),
      httpsCa: ca,
      clientCert: client,
      env: { CUSTOS_TLS_REQUIRE_CLIENT_CERT: 'true' },
    });
    const url = `${server.addr}/api/v1/keys`;
    expect((await tlsCall(url, { ca, ...client })).status).toBe(200);
    await expect(tlsCall(url, { ca, token })).rejects.toThrow();
    const rogue = { cert: read('rogue.pem'), key: read('rogue-key.pem') };
    await expect(tlsCall(url, { ca, token, ...rogue })).rejects.toThrow();
  });
});
