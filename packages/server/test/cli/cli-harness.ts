/**
 * Runs CLI commands in-process against a stand-in for the REST routes the data
 * commands use (encrypt, decrypt, data-key), so the CLI's streaming, format
 * choice and exit codes are tested without the full server. The end-to-end
 * tests (e2e.test.ts) drive the built binary against the real server.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { decryptCiphertext, encryptCiphertext, parseCiphertext } from '@custos/crypto';
import type { CliIo, ExitCode } from '../../src/cli/command.js';
import { CLIENT_COMMANDS } from '../../src/cli/commands/client-commands.js';
import { dispatch } from '../../src/cli/dispatch.js';

const KEY_ID = '0b5e1c2a-4b5d-4c7e-8f90-a1b2c3d4e5f6';
const KEK = randomBytes(32);

export interface FakeServer {
  readonly addr: string;
  /** Requests seen, as `METHOD path`. */
  readonly requests: string[];
  close(): Promise<void>;
}

function problem(res: ServerResponse, status: number, code: string, detail: string) {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(
    JSON.stringify({
      type: `https://custos.dev/errors/${code}`,
      title: code,
      status,
      code,
      detail,
    }),
  );
}

interface Body {
  readonly plaintext?: string;
  readonly ciphertext?: string;
  readonly keySpec?: string;
  readonly encryptionContext?: Record<string, string>;
}

async function jsonBody(req: IncomingMessage): Promise<Body> {
  const pieces: Buffer[] = [];
  for await (const piece of req) pieces.push(piece as Buffer);
  return JSON.parse(Buffer.concat(pieces).toString('utf8')) as Body;
}

function route(method: string, path: string, body: Body) {
  const context = body.encryptionContext;
  const keyMatch = /^\/api\/v1\/keys\/([^/]+)\/(encrypt|data-key)$/.exec(path);
  if (method === 'POST' && keyMatch !== null) {
    if (decodeURIComponent(keyMatch[1]!) === 'missing') return { status: 404, code: 'NOT_FOUND' };
    const plaintext =
      keyMatch[2] === 'encrypt'
        ? Buffer.from(body.plaintext ?? '', 'base64')
        : randomBytes(body.keySpec === 'AES_128' ? 16 : 32);
    if (keyMatch[2] === 'encrypt' && (plaintext.length < 1 || plaintext.length > 4096)) {
      return { status: 400, code: 'INVALID_INPUT' };
    }
    const ciphertext = encryptCiphertext(KEK, { keyId: KEY_ID, keyVersion: 1 }, plaintext, context);
    return {
      status: 200,
      json: {
        ciphertext: ciphertext.toString('base64'),
        keyId: KEY_ID,
        keyVersion: 1,
        ...(keyMatch[2] === 'data-key' && { plaintext: plaintext.toString('base64') }),
      },
    };
  }
  if (method === 'POST' && path === '/api/v1/decrypt') {
    try {
      const blob = Buffer.from(body.ciphertext ?? '', 'base64');
      const plaintext = decryptCiphertext(KEK, parseCiphertext(blob), context);
      return {
        status: 200,
        json: { plaintext: plaintext.toString('base64'), keyId: KEY_ID, keyVersion: 1 },
      };
    } catch {
      return { status: 400, code: 'INVALID_CIPHERTEXT' };
    }
  }
  return { status: 404, code: 'NOT_FOUND' };
}

export async function startFakeServer(): Promise<FakeServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method ?? ''} ${path}`);
    jsonBody(req)
      .then((body) => {
        const answer = route(req.method ?? '', path, body);
        if (answer.json === undefined) {
          problem(res, answer.status, answer.code, 'refused');
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.json));
      })
      .catch(() => {
        problem(res, 400, 'INVALID_INPUT', 'bad body');
      });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    addr: `http://127.0.0.1:${String(port)}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

export interface RunResult {
  readonly code: ExitCode;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs `custos <argv>` in-process with `stdin` as input. */
export async function runCli(
  argv: readonly string[],
  options: { addr?: string; stdin?: Buffer; stderrIsTTY?: boolean } = {},
): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: options.stderrIsTTY === true });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (piece: Buffer) => out.push(piece));
  stderr.on('data', (piece: Buffer) => err.push(piece));
  const io: CliIo = {
    stdout,
    stderr,
    stdin: Readable.from(chunks(options.stdin ?? Buffer.alloc(0))),
    env: { CUSTOS_ADDR: options.addr ?? 'http://127.0.0.1:9', CUSTOS_TOKEN: 'test-token' },
    isTTY: false,
  };
  const code = await dispatch(CLIENT_COMMANDS, argv, io);
  return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
}

/** Feeds stdin in 16 KiB pieces, as a pipe would. */
function* chunks(data: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += 16384) {
    yield data.subarray(offset, offset + 16384);
  }
}
