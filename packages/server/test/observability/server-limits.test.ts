import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryReplayStore } from '../../src/ops/replay-store.js';
import { protectionMounts } from '../../src/protocols/http/protection/mounts.js';
import { restApi } from '../../src/protocols/rest/index.js';
import { type HttpHarness, ROOT_TOKEN, request, startHttp } from './http-harness.js';

let server: HttpHarness | undefined;

/** The real server with the per-request time limit mounted as app.ts mounts it. */
function timeLimited(timeoutMs: number) {
  return {
    limits: { bodyBytes: 1024, requestTimeoutMs: timeoutMs, connectionTimeoutMs: 10_000 },
    protection: protectionMounts({
      requestTimeoutMs: timeoutMs,
      replay: { store: new MemoryReplayStore() },
    }),
  };
}
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Sends headers and part of a body, then waits: a client too slow to finish its request. Resolves with the raw response. */
function slowRequest(url: string, path: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${ROOT_TOKEN}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"plain',
      );
    });
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      // The connection stays open (the body is still owed); one whole response is enough.
      const [head, body] = received.split('\r\n\r\n', 2);
      const length = /content-length: (\d+)/i.exec(head ?? '')?.[1];
      if (body !== undefined && length !== undefined && body.length >= Number(length)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('close', () => {
      resolve(received);
    });
    socket.on('error', reject);
    socket.setTimeout(10_000, () => {
      socket.destroy();
      resolve(received);
    });
  });
}

describe('body size and time limits of the real server', () => {
  it('answers an oversized body with 413 problem+json', async () => {
    server = await startHttp({
      limits: { bodyBytes: 512, requestTimeoutMs: 30_000, connectionTimeoutMs: 10_000 },
    });
    const { keyId } = (await request(server, 'POST', '/api/v1/keys', { body: {} })).body;
    const response = await request(server, 'POST', `/api/v1/keys/${String(keyId)}/encrypt`, {
      body: { plaintext: Buffer.alloc(600).toString('base64') },
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 413, code: 'INVALID_INPUT' });
  });

  it('answers a request whose body is too slow with a 503 problem after the timeout', async () => {
    server = await startHttp(timeLimited(300));
    const { keyId } = (await request(server, 'POST', '/api/v1/keys', { body: {} })).body;
    const started = Date.now();
    const raw = await slowRequest(server.url, `/api/v1/keys/${String(keyId)}/encrypt`);
    const elapsed = Date.now() - started;
    expect(raw).toMatch(/^HTTP\/1\.1 503 /);
    expect(raw).toMatch(/content-type: application\/problem\+json/i);
    expect(raw).toContain('"code":"UNAVAILABLE"');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('answers a handler that outlives the timeout with a 503 problem, and leaves fast ones be', async () => {
    server = await startHttp({
      ...timeLimited(300),
      api: [
        async (api) => {
          await api.register(restApi);
          api.get('/slow', async () => {
            await new Promise((resolve) => setTimeout(resolve, 2_000));
            return { late: true };
          });
        },
      ],
    });
    const started = Date.now();
    const slow = await request(server, 'GET', '/api/v1/slow');
    expect(slow.status).toBe(503);
    expect(slow.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(slow.body).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
    expect(Date.now() - started).toBeLessThan(1_500);
    for (let i = 0; i < 5; i += 1)
      expect((await request(server, 'GET', '/api/v1/keys')).status).toBe(200);
  });
});
