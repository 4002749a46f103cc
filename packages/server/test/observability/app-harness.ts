import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type RunningApp, startApp } from '../../src/app.js';
import { configSchema } from '../../src/ops/config-schema.js';

export interface AppHarness {
  readonly app: RunningApp;
  readonly rootToken: string;
  /** Every log line the server wrote, as text. */
  readonly logLines: string[];
  /** What the server printed on its terminal (the first-start banner). */
  readonly stdout: string[];
  readonly call: (
    method: string,
    path: string,
    options?: { body?: unknown; token?: string | null; headers?: Record<string, string> },
  ) => Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

function sink(into: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      into.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
}

/**
 * The whole server as `custos server` runs it (startApp: SQLite in a fresh
 * data dir, dev-file seal, root token), on an ephemeral loopback port, with
 * its log written to memory. `config` is merged over the defaults.
 */
export async function startTestApp(config: Record<string, unknown> = {}): Promise<AppHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'custos-app-test-'));
  const logLines: string[] = [];
  const stdout: string[] = [];
  const app = await startApp({
    config: configSchema.parse({ dataDir, listen: '127.0.0.1:0', ...config }),
    stdout: sink(stdout),
    logDestination: sink(logLines),
  });
  const rootToken = readFileSync(join(dataDir, 'root-token'), 'utf8').trim();
  return {
    app,
    rootToken,
    logLines,
    stdout,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const token = options.token === undefined ? rootToken : options.token;
      if (token !== null) headers['x-custos-token'] = token;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${app.url}${path}`, {
        method,
        headers,
        ...(options.body !== undefined && {
          body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
        }),
      });
      const text = await response.text();
      let body: Record<string, unknown> = {};
      if (text !== '') {
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = { text };
        }
      }
      return { status: response.status, headers: response.headers, body };
    },
    async close() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
