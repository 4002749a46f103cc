import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { Limiter } from '../../src/protocols/http/protection/limiter.js';
import {
  rateLimitOptionsSchema,
  rateLimits,
} from '../../src/protocols/http/protection/rate-limit.js';
import { bareServer, bearer } from './bare-server.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function send(token: string, remoteAddress = '10.0.0.1') {
  return app!.inject({ method: 'POST', url: '/echo', headers: bearer(token), remoteAddress });
}

describe('rate limits', () => {
  it('answers 429 THROTTLED with Retry-After once a principal uses up its points', async () => {
    app = await bareServer((a) =>
      a.register(rateLimits, { perPrincipal: { points: 3, durationSeconds: 60 } }),
    );
    for (let i = 0; i < 3; i += 1) expect((await send('token-alice')).statusCode).toBe(200);
    const over = await send('token-alice');
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ code: 'THROTTLED' });
    const retryAfter = Number(over.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another principal from the same address has its own bucket.
    expect((await send('token-bob')).statusCode).toBe(200);
  });

  it('limits per client address before authentication', async () => {
    app = await bareServer((a) =>
      a.register(rateLimits, { perAddress: { points: 2, durationSeconds: 60 } }),
    );
    expect((await send('token-alice', '10.0.0.7')).statusCode).toBe(200);
    expect((await send('nonsense', '10.0.0.7')).statusCode).toBe(401);
    const over = await send('token-bob', '10.0.0.7');
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ code: 'THROTTLED' });
    expect(over.headers['retry-after']).toBeDefined();
    expect((await send('token-bob', '10.0.0.8')).statusCode).toBe(200);
  });

  it('does not count unauthenticated requests against a principal', async () => {
    app = await bareServer((a) =>
      a.register(rateLimits, { perPrincipal: { points: 1, durationSeconds: 60 } }),
    );
    for (let i = 0; i < 3; i += 1) expect((await send('nonsense')).statusCode).toBe(401);
    expect((await send('token-alice')).statusCode).toBe(200);
  });

  it('spends the burst allowance after the steady rate', async () => {
    const limiter = new Limiter(
      { points: 2, durationSeconds: 60, burstPoints: 2, burstDurationSeconds: 60 },
      'principal',
    );
    for (let i = 0; i < 4; i += 1) await limiter.consume('p');
    await expect(limiter.consume('p')).rejects.toMatchObject({
      code: 'THROTTLED',
      details: { retryAfterSeconds: expect.any(Number) as number },
    });
  });

  it('refuses an ill-formed limit', () => {
    const bad = rateLimitOptionsSchema.safeParse({ perAddress: { points: 0, durationSeconds: 1 } });
    expect(bad.success).toBe(false);
    expect(() => new Limiter({ points: 1, durationSeconds: 1.5 }, 'x')).toThrow(
      /durationSeconds|int/,
    );
  });
});
