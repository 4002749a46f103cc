/**
 * One real `custos server` per test file, and the helpers the end-to-end tests share: run
 * the binary with only CUSTOS_ADDR and CUSTOS_TOKEN, and assert on its output.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { type CliRun, type RunningServer, runBinary, startServer } from './binary-harness.js';

/** Each command is a fresh Node process (about a second on a busy machine). */
export const E2E_TIMEOUT = 180_000;

export interface Session {
  /** A scratch directory for input and output files. */
  readonly files: () => string;
  readonly custos: (
    args: readonly string[],
    options?: { stdin?: Buffer; token?: string },
  ) => Promise<CliRun>;
  /** `custos key create … --json`, checked; resolves to the key id. */
  readonly createKey: (...args: string[]) => Promise<string>;
}

/** Starts the server before the file's tests and stops it (and removes its data) after. */
export function useServer(): Session {
  let server: RunningServer | undefined;
  let files = '';
  beforeAll(async () => {
    server = await startServer();
    files = await mkdtemp(join(tmpdir(), 'custos-e2e-files-'));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (files !== '') await rm(files, { recursive: true, force: true });
  });
  const custos: Session['custos'] = (args, options = {}) => {
    if (server === undefined) throw new Error('the server did not start');
    return runBinary(args, {
      env: { CUSTOS_ADDR: server.addr, CUSTOS_TOKEN: options.token ?? server.token },
      ...(options.stdin !== undefined && { stdin: options.stdin }),
      timeoutMs: 60_000,
    });
  };
  return {
    files: () => files,
    custos,
    createKey: async (...args) => {
      const key = json<{ keyId: string; state: string }>(
        await custos(['key', 'create', ...args, '--json']),
      );
      expect(key.keyId).toMatch(/^[0-9a-f-]{36}$/);
      expect(key.state).toBe('Enabled');
      return key.keyId;
    },
  };
}

/** Asserts exit 0 and nothing on stderr (showing stderr when not). */
export function ok(run: CliRun): CliRun {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return run;
}

/** The command's --json output, after `ok`. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape of the command's JSON
export function json<T = Record<string, unknown>>(run: CliRun): T {
  return JSON.parse(ok(run).stdout.toString()) as T;
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
