/**
 * Runs the BUILT `custos` binary (packages/server/dist/cli/main.js) as an
 * operator would: `custos server` on an ephemeral loopback port, restarted
 * on the same data directory, stopped with signals; client commands with
 * only CUSTOS_ADDR and CUSTOS_TOKEN. Everything is bounded in time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const BINARY = resolve(import.meta.dirname, '../../dist/cli/main.js');

/**
 * Per test: each may start the server twice, and a start takes seconds on a
 * busy machine (module loading, SQLite, first-start key generation).
 */
export const PROCESS_TEST_TIMEOUT_MS = 120_000;

if (!existsSync(BINARY)) {
  throw new Error(`${BINARY} is missing: run \`npm run build\` before these tests`);
}

/** A port the kernel just handed out on 127.0.0.1, released for the server to take. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((done) =>
    probe.close(() => {
      done();
    }),
  );
  return port;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The environment children get: nothing of ours but PATH, plus what the test says. */
function childEnv(env: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', ...env };
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the binary to completion (at most `timeoutMs`). */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BINARY, ...args], { env: childEnv(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (piece: Buffer) => (stdout += piece.toString()));
    child.stderr.on('data', (piece: Buffer) => (stderr += piece.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`custos ${args.join(' ')} did not finish in time:\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

export interface ServerProcess {
  readonly addr: string;
  readonly port: number;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and resolves with the exit code (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

export interface StartOptions {
  readonly dataDir?: string;
  readonly config?: string;
  readonly env?: Record<string, string>;
  /** Resolve once `/health/live` answers (default) or only once the process exits. */
  readonly waitFor?: 'live' | 'exit';
  /** The listener speaks HTTPS with a certificate from this CA. */
  readonly httpsCa?: Buffer;
  /** A client certificate for the liveness check (when the listener requires one). */
  readonly clientCert?: { readonly cert: Buffer; readonly key: Buffer };
}

/** `custos server --listen 127.0.0.1:<free port> [--data-dir D] [--config F]`. */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const kmipPort = await freePort();
  const args = [
    BINARY,
    'server',
    '--listen',
    `127.0.0.1:${String(port)}`,
    '--kmip-listen',
    `127.0.0.1:${String(kmipPort)}`,
  ];
  if (options.dataDir !== undefined) args.push('--data-dir', options.dataDir);
  if (options.config !== undefined) args.push('--config', options.config);
  const child = spawn(process.execPath, args, { env: childEnv(options.env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (piece: Buffer) => (stdout += piece.toString()));
  child.stderr.on('data', (piece: Buffer) => (stderr += piece.toString()));
  const exited = new Promise<number | null>((done) =>
    child.on('exit', (code) => {
      done(code);
    }),
  );
  const scheme = options.httpsCa === undefined ? 'http' : 'https';
  const server: ServerProcess = {
    addr: `${scheme}://127.0.0.1:${String(port)}`,
    port,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  if (options.waitFor === 'exit') {
    await Promise.race([exited, sleep(30_000)]);
    return server;
  }
  await waitForLive(server, options.httpsCa, options.clientCert);
  return server;
}

async function waitForLive(
  server: ServerProcess,
  ca?: Buffer,
  client?: { readonly cert: Buffer; readonly key: Buffer },
): Promise<void> {
  for (let attempt = 0; attempt < 1200; attempt += 1) {
    if (server.child.exitCode !== null) {
      throw new Error(
        `custos server exited with ${String(server.child.exitCode)}:\n${server.stderr()}\n${server.stdout()}`,
      );
    }
    try {
      const status =
        ca === undefined
          ? (await fetch(`${server.addr}/health/live`)).status
          : (await tlsCall(`${server.addr}/health/live`, { ca, ...client })).status;
      if (status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await server.stop('SIGKILL');
  throw new Error(`custos server never answered /health/live:\n${server.stderr()}`);
}

/** A JSON request to the server; returns status, headers and the parsed body. */
export async function call(
  server: { addr: string },
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.addr}${path}`, {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  const json = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  return { status: response.status, headers: response.headers, json };
}

export interface TlsCallOptions {
  readonly ca: Buffer;
  readonly method?: string;
  readonly token?: string;
  readonly body?: unknown;
  /** A client certificate and its key (PEM). */
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** One HTTPS request with a private CA (and optionally a client certificate). */
export function tlsCall(
  url: string,
  options: TlsCallOptions,
): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
  return new Promise((done, fail) => {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const request = httpsRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers,
        ca: options.ca,
        ...(options.cert !== undefined && { cert: options.cert, key: options.key }),
        agent: false,
        timeout: 10_000,
      },
      (response) => {
        let text = '';
        response.on('data', (piece: Buffer) => (text += piece.toString()));
        response.on('end', () => {
          done({
            status: response.statusCode ?? 0,
            json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
          });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', fail);
    request.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}
