import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  runCli,
  startServer,
  type ServerProcess,
  PROCESS_TEST_TIMEOUT_MS,
} from './process-harness.js';

const root = mkdtempSync(join(tmpdir(), 'custos-server-'));
const dataDir = join(root, 'data');
let server: ServerProcess;
let token: string;
let keyId: string;
let ciphertext: string;

beforeAll(async () => {
  server = await startServer({ dataDir });
  token = readFileSync(join(dataDir, 'root-token'), 'utf8').trim();
}, PROCESS_TEST_TIMEOUT_MS);

afterAll(async () => {
  await server.stop('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe(
  'first start with no configuration (dev-file seal)',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    it('writes the root token 0600 in a 0700 data dir and prints it exactly once', () => {
      expect(token).toMatch(/^cus_[A-Za-z0-9_-]{43}$/);
      expect(mode(join(dataDir, 'root-token'))).toBe('600');
      expect(mode(join(dataDir, 'root.key'))).toBe('600');
      expect(mode(dataDir)).toBe('700');
      expect(server.stdout()).toContain(`Root token: ${token}`);
      expect(server.stdout().split(token).length - 1).toBe(1);
      expect(server.stderr()).not.toContain(token);
    });

    it('answers the probes', async () => {
      const health = await call(server, 'GET', '/health');
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({
        status: 'ok',
        sealed: false,
        initialized: true,
        store: 'ok',
      });
      expect(health.json?.version).toMatch(/^\d+\.\d+\.\d+/);
      expect((await call(server, 'GET', '/health/live')).status).toBe(200);
      expect((await call(server, 'GET', '/health/ready')).status).toBe(200);
    });

    it('serves /docs and an OpenAPI document that lists the sys and identity routes', async () => {
      const docs = await fetch(`${server.addr}/docs`);
      expect(docs.status).toBe(200);
      expect(docs.headers.get('content-type')).toContain('text/html');
      const openapi = await call(server, 'GET', '/api/v1/openapi.json');
      expect(openapi.status).toBe(200);
      expect(openapi.headers.get('api-version')).toBe('1');
      const paths = Object.keys(openapi.json?.paths as Record<string, unknown>);
      expect(paths).toEqual(
        expect.arrayContaining(['/sys/status', '/sys/unseal', '/sys/seal', '/principals']),
      );
    });

    it('serves keys to the root token, with a request id on every response', async () => {
      const created = await call(server, 'POST', '/api/v1/keys', { token, body: {} });
      expect(created.status).toBe(201);
      expect(created.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      keyId = String(created.json?.keyId);
      const encrypted = await call(server, 'POST', `/api/v1/keys/${keyId}/encrypt`, {
        token,
        body: { plaintext: Buffer.from('kept across restarts').toString('base64') },
      });
      expect(encrypted.status).toBe(200);
      ciphertext = String(encrypted.json?.ciphertext);
    });

    it('refuses an invalid token with 401 UNAUTHENTICATED as problem+json', async () => {
      for (const bad of ['cus_' + 'A'.repeat(43), 'not-a-token', 'a.b.c']) {
        const response = await call(server, 'GET', '/api/v1/keys', { token: bad });
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect(response.json).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
        expect(JSON.stringify(response.json)).not.toContain(bad);
      }
      const header = await fetch(`${server.addr}/api/v1/keys`, {
        headers: { 'x-custos-token': 'cus_wrong' },
      });
      expect(header.status).toBe(401);
    });

    it('lets anonymous callers do nothing with keys', async () => {
      const response = await call(server, 'GET', '/api/v1/keys');
      expect(response.status).toBe(403);
      expect(response.json).toMatchObject({ code: 'ACCESS_DENIED' });
    });

    it('reports status to `custos status` without a token', async () => {
      const run = await runCli(['status', '--json'], { env: { CUSTOS_ADDR: server.addr } });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        initialized: true,
        sealed: false,
        sealType: 'dev-file',
      });
    });

    it('on restart reuses keys and tokens and prints nothing secret', async () => {
      expect(await server.stop('SIGTERM')).toBe(0);
      // The most verbose level: even then no token, plaintext or key material is logged.
      server = await startServer({ dataDir, env: { CUSTOS_LOG_LEVEL: 'trace' } });
      expect(server.stdout()).not.toContain('Root token');
      expect(server.stdout()).not.toContain(token);
      expect(readFileSync(join(dataDir, 'root-token'), 'utf8').trim()).toBe(token);
      const described = await call(server, 'GET', `/api/v1/keys/${keyId}`, { token });
      expect(described.status).toBe(200);
      expect(described.json?.keyId).toBe(keyId);
      const decrypted = await call(server, 'POST', '/api/v1/decrypt', {
        token,
        body: { ciphertext },
      });
      expect(decrypted.status).toBe(200);
      expect(Buffer.from(String(decrypted.json?.plaintext), 'base64').toString()).toBe(
        'kept across restarts',
      );
      const logs = server.stdout() + server.stderr();
      expect(logs).toContain('"msg":"request completed"');
      for (const secret of [token, 'kept across restarts', String(decrypted.json?.plaintext)]) {
        expect(logs).not.toContain(secret);
      }
    });
  },
);
