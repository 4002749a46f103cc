/**
 * A running server's scheduler deletes expired and revoked tokens: they leave
 * the token list once expired or revoked for `scheduler.purgeExpiredAfterMs`
 * (0 here), while live tokens without expiry stay. Real server and clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppHarness, startTestApp } from '../observability/app-harness.js';

let h: AppHarness;
beforeAll(async () => {
  h = await startTestApp({
    logging: { level: 'silent' },
    scheduler: { intervalMs: 100, purgeExpiredAfterMs: 0 },
  });
  await h.call('POST', '/api/v1/principals', { body: { id: 'user/purge' } });
}, 30_000);
afterAll(async () => {
  await h.close();
});

async function issue(body: Record<string, unknown>): Promise<{ token: string; accessor: string }> {
  const res = await h.call('POST', '/api/v1/tokens', {
    body: { principal: 'user/purge', ...body },
  });
  expect(res.status).toBe(201);
  return { token: String(res.body.token), accessor: String(res.body.accessor) };
}

async function listed(): Promise<string[]> {
  const res = await h.call('GET', '/api/v1/tokens?principal=user%2Fpurge');
  return (res.body.tokens as { accessor: string }[]).map((t) => t.accessor);
}

describe('expired and revoked tokens are purged by the running scheduler', () => {
  it('removes expired and revoked tokens from the list; a live one stays', async () => {
    const shortLived = await issue({ ttl: 1 });
    const forever = await issue({});
    const revoked = await issue({});
    expect((await h.call('DELETE', `/api/v1/tokens/${revoked.accessor}`)).status).toBe(204);
    expect(await listed()).toEqual(
      expect.arrayContaining([shortLived.accessor, forever.accessor, revoked.accessor]),
    );
    expect((await h.call('GET', '/api/v1/tokens/self', { token: shortLived.token })).status).toBe(
      200,
    );

    const deadline = Date.now() + 10_000;
    const purged = (accessors: string[]) =>
      !accessors.includes(shortLived.accessor) && !accessors.includes(revoked.accessor);
    while (!purged(await listed())) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await listed()).toEqual([forever.accessor]);
    for (const gone of [shortLived, revoked]) {
      const refused = await h.call('GET', '/api/v1/tokens/self', { token: gone.token });
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('UNAUTHENTICATED');
    }
    expect((await h.call('GET', '/api/v1/tokens/self', { token: forever.token })).status).toBe(200);
  }, 20_000);
});
