import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppHarness, startTestApp } from '../observability/app-harness.js';

let server: AppHarness | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PROBLEM = /^application\/problem\+json/;

describe('protection on the whole server', () => {
  it('answers 429 THROTTLED with Retry-After once a principal is over its rate', async () => {
    server = await startTestApp({
      limits: { rate: { perPrincipal: { points: 3, durationSeconds: 60 } } },
    });
    for (let i = 0; i < 3; i += 1)
      expect((await server.call('GET', '/api/v1/keys')).status).toBe(200);
    const over = await server.call('GET', '/api/v1/keys');
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toMatch(PROBLEM);
    expect(over.body).toMatchObject({ code: 'THROTTLED', status: 429 });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Probes are not the principal's requests and stay answered.
    expect((await server.call('GET', '/health/live', { token: null })).status).toBe(200);
  });

  it('refuses an address after N failed authentications, before looking at its credential', async () => {
    server = await startTestApp({
      limits: { authFailures: { maxFailures: 3, windowSeconds: 60 } },
    });
    for (let i = 0; i < 3; i += 1) {
      const failed = await server.call('GET', '/api/v1/keys', { token: `cus_guess${String(i)}` });
      expect(failed.status).toBe(401);
      expect(failed.body.code).toBe('UNAUTHENTICATED');
    }
    const refused = await server.call('GET', '/api/v1/keys');
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('THROTTLED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('requires and checks replay protection for principals whose policy says so', async () => {
    server = await startTestApp();
    const { call } = server;
    const policy = await call('PUT', '/api/v1/policies/strict', {
      body: {
        version: '2026-11-01',
        statements: [
          {
            effect: 'allow',
            actions: ['kms:*'],
            resources: ['*'],
            conditions: { requireReplayProtection: true },
          },
        ],
      },
    });
    expect(policy.status).toBe(200);
    expect(
      (await call('POST', '/api/v1/principals', { body: { id: 'user/ops', policies: ['strict'] } }))
        .status,
    ).toBe(201);
    const token = String(
      (await call('POST', '/api/v1/tokens', { body: { principal: 'user/ops' } })).body.token,
    );

    const missing = await call('GET', '/api/v1/keys', { token });
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(String(missing.body.detail)).toMatch(/X-Custos-Nonce/);

    const guard = {
      'x-custos-nonce': randomUUID(),
      'x-custos-timestamp': String(Math.floor(Date.now() / 1000)),
    };
    expect((await call('GET', '/api/v1/keys', { token, headers: guard })).status).toBe(200);
    const replay = await call('GET', '/api/v1/keys', { token, headers: guard });
    expect(replay.status).toBe(403);
    expect(replay.body).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(String(replay.body.detail)).toMatch(/replayed/);

    const stale = await call('GET', '/api/v1/keys', {
      token,
      headers: {
        'x-custos-nonce': randomUUID(),
        'x-custos-timestamp': new Date(Date.now() - 400_000).toISOString(),
      },
    });
    expect(stale.status).toBe(403);
    const malformed = await call('GET', '/api/v1/keys', {
      token,
      headers: { 'x-custos-nonce': 'abc', 'x-custos-timestamp': 'now' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('INVALID_INPUT');
    // The root principal needs no nonce.
    expect((await call('GET', '/api/v1/keys')).status).toBe(200);
  });

  it('serves /metrics without a credential, counting requests and errors', async () => {
    server = await startTestApp();
    await server.call('POST', '/api/v1/keys', { body: { spec: 'AES_256' } });
    await server.call('GET', `/api/v1/keys/${randomUUID()}`);
    const response = await fetch(`${server.app.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain(
      'custos_requests_total{api="rest",operation="createKey",outcome="success"} 1\n',
    );
    expect(text).toContain(
      'custos_requests_total{api="rest",operation="describeKey",outcome="client_error"} 1\n',
    );
    expect(text).toContain('custos_errors_total{code="NOT_FOUND"} 1\n');
    expect(text).toContain('custos_sealed 0\n');
    expect(text).toContain('custos_keys{state="Enabled"} 1\n');
    expect(text).toMatch(
      /^custos_request_duration_seconds_bucket\{le="0.005",api="rest",operation="createKey"\} /m,
    );
  });
});
