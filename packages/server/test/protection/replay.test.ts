import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryReplayStore } from '../../src/ops/replay-store.js';
import { ReplayGuard } from '../../src/protocols/http/protection/replay-guard.js';
import { replayProtection } from '../../src/protocols/http/protection/replay-protection.js';
import { requestContext } from '../../src/protocols/http/request-context.js';
import { bareServer, bearer } from './bare-server.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');
let now = T0;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  now = T0;
});

async function server(store = new MemoryReplayStore({ now: () => now })) {
  app = await bareServer(async (a) => {
    await a.register(replayProtection, {
      store,
      now: () => now,
      requiresReplayProtection: (p) => p.policies.includes('strict'),
    });
    a.post('/context', (request) => ({
      replayProtected: requestContext(request).replayProtected ?? false,
    }));
  });
  return app;
}

function send(token: string, headers: Record<string, string> = {}) {
  return app!.inject({ method: 'POST', url: '/echo', headers: { ...bearer(token), ...headers } });
}

function guard(nonce?: string, timestamp?: string) {
  return {
    'x-custos-nonce': nonce ?? randomUUID(),
    'x-custos-timestamp': timestamp ?? String(Math.floor(now / 1000)),
  };
}

describe('replay protection', () => {
  it('accepts a fresh nonce once and refuses its replay with ACCESS_DENIED', async () => {
    await server();
    const headers = guard();
    expect((await send('token-bob', headers)).statusCode).toBe(200);
    const replay = await send('token-bob', headers);
    expect(replay.statusCode).toBe(403);
    expect(replay.json()).toMatchObject({ code: 'ACCESS_DENIED', reason: 'replayed' });
  });

  it('accepts RFC 3339 timestamps and refuses ones over 5 minutes off', async () => {
    await server();
    const iso = (ms: number) => new Date(ms).toISOString();
    expect((await send('token-bob', guard(randomUUID(), iso(now - 299_000)))).statusCode).toBe(200);
    expect(
      (await send('token-bob', guard(randomUUID(), '2026-03-01T13:04:00+01:00'))).statusCode,
    ).toBe(200);
    for (const stale of [
      iso(now - 301_000),
      iso(now + 301_000),
      String(Math.floor(now / 1000) - 400),
    ]) {
      const refused = await send('token-bob', guard(randomUUID(), stale));
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'ACCESS_DENIED', reason: 'stale-timestamp' });
    }
  });

  it('requires the headers from principals whose policy says so, and only from them', async () => {
    await server();
    const missing = await send('token-bob');
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({
      code: 'ACCESS_DENIED',
      reason: 'replay-protection-required',
    });
    expect((await send('token-alice')).statusCode).toBe(200);
  });

  it('tells the service context which requests were verified', async () => {
    await server();
    const post = (headers: Record<string, string> = {}) =>
      app!.inject({
        method: 'POST',
        url: '/context',
        headers: { ...bearer('token-alice'), ...headers },
      });
    expect((await post(guard())).json()).toEqual({ replayProtected: true });
    expect((await post()).json()).toEqual({ replayProtected: false });
  });

  it('checks the headers whenever both are sent, required or not', async () => {
    await server();
    const headers = guard();
    expect((await send('token-alice', headers)).statusCode).toBe(200);
    expect((await send('token-alice', headers)).json()).toMatchObject({ reason: 'replayed' });
  });

  it('rejects malformed or half-sent headers as INVALID_INPUT', async () => {
    await server();
    const cases: Record<string, string>[] = [
      { 'x-custos-nonce': randomUUID() },
      { 'x-custos-timestamp': String(Math.floor(now / 1000)) },
      guard('not-a-uuid'),
      guard('6ba7b810-9dad-11d1-80b4-00c04fd430c8'), // a UUIDv1
      guard(randomUUID(), 'yesterday'),
      guard(randomUUID(), '2026-03-01 12:00:00'),
    ];
    for (const headers of cases) {
      const bad = await send('token-alice', headers);
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('keeps nonces per principal, and forgets them after 10 minutes', async () => {
    await server();
    const nonce = randomUUID();
    expect((await send('token-alice', guard(nonce))).statusCode).toBe(200);
    expect((await send('token-bob', guard(nonce))).statusCode).toBe(200);
    now += 10 * 60_000 + 1;
    // A replay this late carries an old timestamp and is refused for that.
    const late = await send('token-alice', guard(nonce, String(Math.floor(T0 / 1000))));
    expect(late.json()).toMatchObject({ reason: 'stale-timestamp' });
    // The same nonce with a fresh timestamp is new again: the store let it go.
    expect((await send('token-alice', guard(nonce))).statusCode).toBe(200);
  });

  it('answers THROTTLED with Retry-After when the nonce store is full', async () => {
    await server(new MemoryReplayStore({ maxEntries: 2, now: () => now }));
    expect((await send('token-alice', guard())).statusCode).toBe(200);
    now += 60_000;
    expect((await send('token-alice', guard())).statusCode).toBe(200);
    const full = await send('token-alice', guard());
    expect(full.statusCode).toBe(429);
    expect(full.json()).toMatchObject({ code: 'THROTTLED' });
    expect(full.headers['retry-after']).toBe(String(9 * 60));
    now += 9 * 60_000;
    expect((await send('token-alice', guard())).statusCode).toBe(200);
  });
});

describe('ReplayGuard', () => {
  it('refuses a nonce lifetime shorter than the timestamp window it must cover', () => {
    const store = new MemoryReplayStore();
    expect(() => new ReplayGuard({ store, maxSkewMs: 60_000, nonceTtlMs: 119_999 })).toThrow(
      TypeError,
    );
    expect(() => new ReplayGuard({ store, maxSkewMs: 60_000, nonceTtlMs: 120_000 })).not.toThrow();
  });
});

describe('MemoryReplayStore', () => {
  it('remembers a key for its TTL and stays bounded', async () => {
    let t = 0;
    const store = new MemoryReplayStore({ maxEntries: 3, now: () => t });
    expect(await store.claim('a', 100)).toBe(true);
    expect(await store.claim('a', 100)).toBe(false);
    t = 50;
    expect(await store.claim('b', 100)).toBe(true);
    t = 101;
    expect(store.size).toBe(2);
    expect(await store.claim('a', 100)).toBe(true);
    expect(await store.claim('b', 100)).toBe(false);
    expect(store.size).toBe(2);
    expect(() => new MemoryReplayStore({ maxEntries: 0 })).toThrow(TypeError);
  });
});
