import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, runCli, startServer, PROCESS_TEST_TIMEOUT_MS } from './process-harness.js';

const root = mkdtempSync(join(tmpdir(), 'custos-shutdown-'));

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Opens a raw connection and sends a request whose body is still missing its last byte. */
async function halfSentRequest(port: number, token: string) {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((done, fail) => {
    socket.once('connect', done).once('error', fail);
  });
  let received = '';
  socket.on('data', (piece: Buffer) => (received += piece.toString()));
  const closed = new Promise<void>((done) =>
    socket.once('close', () => {
      done();
    }),
  );
  socket.write(
    [
      'POST /api/v1/keys HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${token}`,
      'Content-Type: application/json',
      'Content-Length: 2',
      'Connection: close',
      '',
      '{',
    ].join('\r\n'),
  );
  return {
    finish: () => socket.end('}'),
    response: async () => {
      await closed;
      return received;
    },
  };
}

describe('graceful shutdown', { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it('SIGTERM while a request is in flight: it completes, new connections are refused, exit 0', async () => {
    const dataDir = join(root, 'term');
    const server = await startServer({ dataDir });
    const token = readFileSync(join(dataDir, 'root-token'), 'utf8').trim();
    const slow = await halfSentRequest(server.port, token);
    await sleep(200);
    const exit = server.stop('SIGTERM');
    // Stopped listening: a new connection is refused while the old one drains.
    let refused = false;
    for (let attempt = 0; attempt < 50 && !refused; attempt += 1) {
      refused = await fetch(`${server.addr}/health/live`).then(
        () => false,
        () => true,
      );
      if (!refused) await sleep(50);
    }
    expect(refused).toBe(true);
    expect(server.child.exitCode).toBeNull();
    slow.finish();
    const response = await slow.response();
    expect(response).toMatch(/^HTTP\/1\.1 201 /);
    expect(response).toContain('"keyId"');
    expect(await exit).toBe(0);
    expect(server.stdout()).toContain('"msg":"stopped"');
  });

  it('cuts connections still busy after limits.shutdownTimeoutMs and still exits 0', async () => {
    const dataDir = join(root, 'timeout');
    const server = await startServer({
      dataDir,
      env: { CUSTOS_LIMITS_SHUTDOWN_TIMEOUT_MS: '500' },
    });
    const token = readFileSync(join(dataDir, 'root-token'), 'utf8').trim();
    const stuck = await halfSentRequest(server.port, token);
    await sleep(200);
    const started = Date.now();
    expect(await server.stop('SIGINT')).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await stuck.response()).toBe('');
    expect(server.stdout()).toContain('in-flight requests were cut off');
  });

  it('keeps what was written: a key created before SIGINT is there after restart', async () => {
    const dataDir = join(root, 'persist');
    let server = await startServer({ dataDir });
    const token = readFileSync(join(dataDir, 'root-token'), 'utf8').trim();
    const created = await call(server, 'POST', '/api/v1/keys', { token, body: {} });
    expect(await server.stop('SIGINT')).toBe(0);
    server = await startServer({ dataDir });
    const described = await call(server, 'GET', `/api/v1/keys/${String(created.json?.keyId)}`, {
      token,
    });
    expect(described.status).toBe(200);
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});

describe(
  'configuration errors exit 2 with a clear message',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    it('an unknown key in the config file', async () => {
      const config = join(root, 'typo.yaml');
      writeFileSync(config, `dataDir: ${join(root, 'typo')}\nlimits:\n  bodyByte: 10\n`);
      const run = await runCli(['server', '--config', config]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("unknown key 'limits.bodyByte'");
      expect(run.stderr).toContain(config);
    });

    it('a bad CUSTOS_* variable or flag', async () => {
      const env = await runCli(['server', '--data-dir', join(root, 'env')], {
        env: { CUSTOS_LIMITS_BODY_BYTES: 'lots' },
      });
      expect(env.code).toBe(2);
      expect(env.stderr).toContain('CUSTOS_LIMITS_BODY_BYTES');
      const flag = await runCli(['server', '--listen', 'localhost']);
      expect(flag.code).toBe(2);
      expect(flag.stderr).toContain("'listen'");
      const unknown = await runCli(['server', '--port', '1']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('--port');
    });
  },
);
