import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthFailureThrottle,
  authFailureThrottle,
} from '../../src/protocols/http/protection/auth-throttle.js';
import { TOKENS, bareServer, bearer } from './bare-server.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('failed-authentication throttling', () => {
  it('refuses an address with 429 after N failed authentications, even with a good token', async () => {
    let lookups = 0;
    app = await bareServer(async (a) => {
      await a.register(authFailureThrottle, { maxFailures: 3, windowSeconds: 60 });
      // Counts credential checks: the throttle must answer before any.
      a.addHook('onRequest', async () => {
        lookups += 1;
        return Promise.resolve();
      });
    });
    const from = (token: string, remoteAddress: string) =>
      app!.inject({ method: 'POST', url: '/echo', headers: bearer(token), remoteAddress });
    for (let i = 0; i < 3; i += 1) {
      const failed = await from(`guess-${String(i)}`, '10.1.1.1');
      expect(failed.statusCode).toBe(401);
      expect(failed.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const before = lookups;
    const refused = await from('token-alice', '10.1.1.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'THROTTLED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(lookups).toBe(before);
    // Other addresses are unaffected.
    expect((await from('token-alice', '10.1.1.2')).statusCode).toBe(200);
  });

  it('does not count successful authentications or other errors', async () => {
    app = await bareServer((a) =>
      a.register(authFailureThrottle, { maxFailures: 1, windowSeconds: 60 }),
    );
    for (let i = 0; i < 5; i += 1) {
      const denied = await app.inject({
        method: 'GET',
        url: '/forbidden',
        headers: bearer('token-alice'),
      });
      expect(denied.json()).toMatchObject({ code: 'ACCESS_DENIED' });
    }
    expect(
      (await app.inject({ method: 'POST', url: '/echo', headers: bearer('token-alice') }))
        .statusCode,
    ).toBe(200);
    expect(Object.keys(TOKENS)).toContain('token-alice');
  });

  it('forgets failures when the window ends', async () => {
    let now = 1_000_000;
    const throttle = new AuthFailureThrottle({ maxFailures: 2, windowSeconds: 60 }, () => now);
    await throttle.recordFailure('10.2.2.2');
    expect(() => {
      throttle.check('10.2.2.2');
    }).not.toThrow();
    await throttle.recordFailure('10.2.2.2');
    let thrown: unknown;
    try {
      throttle.check('10.2.2.2');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'THROTTLED', details: { retryAfterSeconds: 60 } });
    now += 60_001;
    expect(() => {
      throttle.check('10.2.2.2');
    }).not.toThrow();
  });
});
