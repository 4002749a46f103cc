import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startApp, type RunningApp } from '../../src/app.js';
import { configSchema } from '../../src/ops/config-schema.js';

export interface VaultServer {
  readonly app: RunningApp;
  readonly url: string;
  readonly token: string;
  /** JSON request with the root token in X-Vault-Token (unless `token` is given). */
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<Answer>;
  close(): Promise<void>;
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const discard = () =>
  new Writable({
    write: (_chunk, _encoding, done) => {
      done();
    },
  });

/** A real Custos server (SQLite, dev-file seal) on 127.0.0.1, ephemeral port. */
export async function startVaultServer(extra: Record<string, unknown> = {}): Promise<VaultServer> {
  const dir = mkdtempSync(join(tmpdir(), 'custos-vault-'));
  const config = configSchema.parse({ dataDir: dir, listen: '127.0.0.1:0', ...extra });
  const app = await startApp({ config, stdout: discard(), logDestination: discard() });
  const token = readFileSync(join(dir, 'root-token'), 'utf8').trim();
  return {
    app,
    url: app.url,
    token,
    async call(method, path, body, as) {
      const headers: Record<string, string> = {};
      if (as !== null) headers['x-vault-token'] = as ?? token;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${app.url}${path}`, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      };
    },
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const b64 = (text: string): string => Buffer.from(text).toString('base64');
export const text = (b: unknown): string => Buffer.from(String(b), 'base64').toString();

/** A Vault JSON answer's body. */
export type Data = Record<string, unknown>;
/** The `data` object of a Vault answer. */
export const data = (body: Data): Data => body.data as Data;
/** The first of a Vault error answer's `errors`. */
export const errorOf = (body: Data): string => String((body.errors as string[])[0]);
