/**
 * kmipListen is accepted (the `--kmip-listen` flag is part of the command's
 * interface) but KMIP is not served yet: the server says so at start, and
 * nothing listens on the address.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/ops/config.js';
import { freePort } from '../cli/binary-harness.js';
import { type AppHarness, startTestApp } from '../observability/app-harness.js';

let h: AppHarness;
let kmipPort: number;
beforeAll(async () => {
  kmipPort = await freePort();
  h = await startTestApp({ kmipListen: `127.0.0.1:${String(kmipPort)}` });
}, 30_000);
afterAll(async () => {
  await h.close();
});

function connectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code ?? 'error');
    });
  });
}

describe('kmipListen', () => {
  it('is validated like any listen address', async () => {
    await expect(loadConfig({ env: { CUSTOS_KMIP_LISTEN: 'no-port' } })).rejects.toThrow(
      /'kmipListen'/,
    );
  });

  it('is logged at start as not served', () => {
    const warnings = h.logLines
      .map((line) => JSON.parse(line) as { level: number; msg: string; kmipListen?: string })
      .filter((entry) => entry.level === 40);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        msg: 'KMIP is not available yet: nothing listens on kmipListen',
        kmipListen: `127.0.0.1:${String(kmipPort)}`,
      }),
    );
  });

  it('has nothing listening on it, while the HTTP listener answers', async () => {
    expect(await connectError(kmipPort)).toBe('ECONNREFUSED');
    expect((await h.call('GET', '/health/live', { token: null })).status).toBe(200);
  });
});
