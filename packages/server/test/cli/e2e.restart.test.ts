/**
 * What the CLI sees across the server's life: a sealed server answers SEALED (exit 1), and
 * data encrypted with the CLI before a restart decrypts after it with the same token.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, runBinary, startServer } from './binary-harness.js';

let server: RunningServer | undefined;

beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

function custos(args: readonly string[], stdin?: Buffer) {
  if (server === undefined) throw new Error('the server did not start');
  return runBinary(args, {
    env: { CUSTOS_ADDR: server.addr, CUSTOS_TOKEN: server.token },
    ...(stdin !== undefined && { stdin }),
    timeoutMs: 60_000,
  });
}

describe('the CLI across seal and restart', { timeout: 180_000 }, () => {
  it('answers SEALED while sealed, and decrypts after a restart what it encrypted before', async () => {
    const created = await custos(['key', 'create', '--alias', 'durable', '--json']);
    expect(created.code).toBe(0);
    const small = Buffer.from('kept across restarts');
    const large = randomBytes(300_000);
    const smallSealed = await custos(['encrypt', '--key', 'alias/durable'], small);
    const largeSealed = await custos(
      ['encrypt', '--key', 'alias/durable', '--context', 'k=v'],
      large,
    );
    expect([smallSealed.code, largeSealed.code]).toEqual([0, 0]);

    expect((await custos(['operator', 'seal'])).code).toBe(0);
    for (const run of [
      await custos(['encrypt', '--key', 'alias/durable'], small),
      await custos(['decrypt', '--context', 'k=v'], largeSealed.stdout),
      await custos(['key', 'describe', 'alias/durable']),
    ]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/SEALED/);
    }

    // The dev-file seal unseals itself on start.
    const { dataDir } = server!;
    await server!.stop({ keepData: true });
    server = undefined;
    server = await startServer({ dataDir });
    const smallBack = await custos(['decrypt'], smallSealed.stdout);
    expect(smallBack.stderr).toBe('');
    expect(smallBack.stdout.equals(small)).toBe(true);
    const largeBack = await custos(['decrypt', '--context', 'k=v'], largeSealed.stdout);
    expect(largeBack.stderr).toBe('');
    expect(largeBack.stdout.equals(large)).toBe(true);
  });
});
