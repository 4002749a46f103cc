/**
 * Drives the built `custos` binary (packages/server/dist/cli/main.js) as a user would:
 * a real `custos server` on an ephemeral loopback port and a fresh data dir, and client
 * commands that know only CUSTOS_ADDR and CUSTOS_TOKEN.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BINARY = resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** A port the kernel just handed out on 127.0.0.1, released for the server to take. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => {
    probe.listen(0, '127.0.0.1', done);
  });
  const address = probe.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((done) => {
    probe.close(() => {
      done();
    });
  });
  return port;
}

/** Runs the binary to completion; `env` is the whole environment (plus PATH). */
export function runBinary(
  args: readonly string[],
  options: { env: Record<string, string>; stdin?: Buffer; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], {
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (piece: Buffer) => out.push(piece));
    child.stderr.on('data', (piece: Buffer) => err.push(piece));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`custos ${args.join(' ')} did not finish in time`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.on('error', () => undefined); // the command may exit before reading all of stdin
    child.stdin.end(options.stdin ?? Buffer.alloc(0));
  });
}

export interface RunningServer {
  readonly addr: string;
  readonly token: string;
  readonly dataDir: string;
  /** What the server printed, for failure messages. */
  output(): string;
  /** SIGTERM (SIGKILL after 10 s); the data dir is removed unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

async function waitForToken(path: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`custos server exited with ${String(child.exitCode)}:\n${output()}`);
    }
    if (existsSync(path)) {
      const token = (await readFile(path, 'utf8')).trim();
      if (token !== '') return token;
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`custos server wrote no root token in 30 s:\n${output()}`);
}

async function waitForHealth(addr: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`custos server exited with ${String(child.exitCode)}:\n${output()}`);
    }
    try {
      const response = await fetch(`${addr}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`custos server at ${addr} never became ready:\n${output()}`);
}

/**
 * `custos server --data-dir <tmp> --listen 127.0.0.1:<free port>`, ready to serve.
 * Given `dataDir`, restarts on it (the root token is read from it as before).
 */
export async function startServer(options: { dataDir?: string } = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'custos-e2e-')));
  const port = await freePort();
  const kmipPort = await freePort();
  const child = spawn(
    process.execPath,
    [
      BINARY,
      'server',
      '--data-dir',
      dataDir,
      '--listen',
      `127.0.0.1:${String(port)}`,
      '--kmip-listen',
      `127.0.0.1:${String(kmipPort)}`,
    ],
    { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log: Buffer[] = [];
  child.stdout.on('data', (piece: Buffer) => log.push(piece));
  child.stderr.on('data', (piece: Buffer) => log.push(piece));
  const output = () => Buffer.concat(log).toString();
  const addr = `http://127.0.0.1:${String(port)}`;
  const stop = async (stopOptions: { keepData?: boolean } = {}) => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (stopOptions.keepData !== true) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const token = await waitForToken(join(dataDir, 'root-token'), child, output);
    await waitForHealth(addr, child, output);
    return { addr, token, dataDir, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
