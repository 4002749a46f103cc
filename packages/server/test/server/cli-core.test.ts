import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clientFromEnv, CustosClient } from '../../src/cli/client.js';
import {
  CliError,
  EXIT_OK,
  parseCommandArgs,
  UsageError,
  type CliIo,
  type Command,
} from '../../src/cli/command.js';
import { dispatch } from '../../src/cli/dispatch.js';
import { readSecret } from '../../src/cli/secret-input.js';

function io(options: { env?: Record<string, string>; stdin?: string; isTTY?: boolean } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (piece: Buffer) => (out += piece.toString()));
  stderr.on('data', (piece: Buffer) => (err += piece.toString()));
  const value: CliIo = {
    stdout,
    stderr,
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
  };
  return { io: value, out: () => out, err: () => err };
}

const echo: Command = {
  name: ['thing', 'echo'],
  summary: 'Echo a word',
  usage: 'Usage: custos thing echo <word> [--json]',
  run(args, cliIo) {
    const { values, positionals } = parseCommandArgs(args, { upper: { type: 'boolean' } });
    const [word] = positionals;
    if (word === undefined) throw new UsageError('missing <word>');
    if (word === 'fail') throw new CliError('NOT_FOUND', 'no such word', 404, 'req-1');
    const text = values.upper === true ? word.toUpperCase() : word;
    cliIo.stdout.write(values.json ? `${JSON.stringify({ text })}\n` : `${text}\n`);
    return Promise.resolve(EXIT_OK);
  },
};

describe('dispatch: exit codes 0 ok / 1 failed / 2 usage', () => {
  it('runs the longest matching command', async () => {
    const run = io();
    expect(await dispatch([echo], ['thing', 'echo', 'hi', '--upper'], run.io)).toBe(0);
    expect(run.out()).toBe('HI\n');
  });

  it('usage errors exit 2 and show the usage', async () => {
    for (const argv of [
      ['thing', 'echo'],
      ['thing', 'echo', 'x', '--nope'],
    ]) {
      const run = io();
      expect(await dispatch([echo], argv, run.io)).toBe(2);
      expect(run.err()).toContain('Usage: custos thing echo');
    }
  });

  it('failures exit 1 with the code, as JSON with --json', async () => {
    const human = io();
    expect(await dispatch([echo], ['thing', 'echo', 'fail'], human.io)).toBe(1);
    expect(human.err()).toContain('NOT_FOUND: no such word');
    const json = io();
    expect(await dispatch([echo], ['thing', 'echo', 'fail', '--json'], json.io)).toBe(1);
    expect(JSON.parse(json.err())).toEqual({
      error: { code: 'NOT_FOUND', message: 'no such word', requestId: 'req-1' },
    });
  });

  it('help: all, a group, one command; unknown commands exit 2', async () => {
    const all = io();
    expect(await dispatch([echo], ['help'], all.io)).toBe(0);
    expect(all.out()).toContain('thing echo');
    const one = io();
    expect(await dispatch([echo], ['thing', 'echo', '--help'], one.io)).toBe(0);
    expect(one.out()).toContain('Usage: custos thing echo');
    const group = io();
    expect(await dispatch([echo], ['thing'], group.io)).toBe(2);
    const unknown = io();
    expect(await dispatch([echo], ['nothing'], unknown.io)).toBe(2);
    expect(unknown.err()).toContain("unknown command 'nothing'");
    const bare = io();
    expect(await dispatch([echo], [], bare.io)).toBe(2);
    const version = io();
    expect(await dispatch([echo], ['--version'], version.io)).toBe(0);
    expect(version.out()).toMatch(/^custos \d+\.\d+\.\d+/);
  });
});

describe('HTTP client', () => {
  let server: Server;
  let addr: string;
  const seen: { auth?: string; body?: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (piece: Buffer) => (body += piece.toString()));
      request.on('end', () => {
        seen.push({
          ...(request.headers.authorization !== undefined && {
            auth: request.headers.authorization,
          }),
          body,
        });
        if (request.url === '/ok?limit=5') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ value: 1 }));
        } else if (request.url === '/empty') {
          response.writeHead(204).end();
        } else if (request.url === '/gateway') {
          response.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
        } else {
          response.writeHead(503, { 'content-type': 'application/problem+json' });
          response.end(
            JSON.stringify({ code: 'SEALED', title: 'Sealed', detail: 'sealed', requestId: 'r-9' }),
          );
        }
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    addr = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });

  afterAll(async () => {
    await new Promise<void>((done) =>
      server.close(() => {
        done();
      }),
    );
  });

  it('sends the token as a bearer, JSON bodies, query parameters; validates responses', async () => {
    const client = clientFromEnv({ CUSTOS_ADDR: addr, CUSTOS_TOKEN: 'cus_x' });
    const out = await client.request('POST', '/ok', {
      body: { a: 1 },
      query: { limit: 5, cursor: undefined },
      schema: z.object({ value: z.number() }),
    });
    expect(out).toEqual({ value: 1 });
    expect(seen.at(-1)).toEqual({ auth: 'Bearer cus_x', body: '{"a":1}' });
    expect(await client.request('DELETE', '/empty')).toBeUndefined();
  });

  it('turns problem+json into a CliError with the stable code', async () => {
    const error = await new CustosClient({ addr })
      .request('GET', '/sealed')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 'SEALED', status: 503, requestId: 'r-9' });
  });

  it('maps other failures by status, and an unreachable server to UNAVAILABLE', async () => {
    const gateway = await new CustosClient({ addr })
      .request('GET', '/gateway')
      .catch((e: unknown) => e);
    expect(gateway).toMatchObject({ code: 'INTERNAL', status: 502 });
    const down = await new CustosClient({ addr: 'http://127.0.0.1:1' })
      .request('GET', '/')
      .catch((e: unknown) => e);
    expect(down).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('defaults to http://127.0.0.1:8200 and refuses a non-http CUSTOS_ADDR', () => {
    expect(clientFromEnv({}).addr).toBe('http://127.0.0.1:8200');
    expect(() => clientFromEnv({ CUSTOS_ADDR: 'ftp://x' })).toThrow(UsageError);
  });
});

describe('secret input: file, stdin, never argv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custos-secret-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a file, dropping one trailing newline', async () => {
    const path = join(dir, 'p');
    writeFileSync(path, 'two words\n');
    const source = { file: path, prompt: 'P: ', flag: '--passphrase-file' };
    expect(await readSecret(io().io, source)).toBe('two words');
  });

  it('reads stdin for -', async () => {
    const run = io({ stdin: 'from stdin\n' });
    expect(await readSecret(run.io, { file: '-', prompt: 'P: ', flag: '--passphrase-file' })).toBe(
      'from stdin',
    );
  });

  it('without a terminal or a file, names the flag to use', async () => {
    const error = await readSecret(io().io, { prompt: 'P: ', flag: '--passphrase-file' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('--passphrase-file');
  });

  it('refuses an empty secret and a missing file', async () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    const source = { prompt: 'P: ', flag: '--passphrase-file' };
    await expect(readSecret(io().io, { ...source, file: empty })).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(
      readSecret(io().io, { ...source, file: join(dir, 'absent') }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
