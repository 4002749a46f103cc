/**
 * `custos encrypt` / `custos decrypt` in-process: the 4 KiB switch between a v1 ciphertext and
 * an envelope, binary-safe stdin/stdout and files, --json, atomic --out, and exit codes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, runCli, startFakeServer } from './cli-harness.js';

let server: FakeServer;
let dir: string;

beforeAll(async () => {
  server = await startFakeServer();
  dir = await mkdtemp(join(tmpdir(), 'custos-cli-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function roundTrip(data: Buffer, context: string[] = []) {
  const addr = server.addr;
  const encrypted = await runCli(['encrypt', '--key', 'alias/app', ...context], {
    addr,
    stdin: data,
  });
  expect(encrypted.stderr).toBe('');
  expect(encrypted.code).toBe(0);
  const decrypted = await runCli(['decrypt', ...context], { addr, stdin: encrypted.stdout });
  expect(decrypted.stderr).toBe('');
  expect(decrypted.code).toBe(0);
  expect(decrypted.stdout.equals(data)).toBe(true);
  return encrypted.stdout;
}

describe('custos encrypt / decrypt', () => {
  it('sends up to 4096 bytes to the server as a v1 ciphertext', async () => {
    for (const length of [1, 4096]) {
      const ciphertext = await roundTrip(randomBytes(length));
      expect(ciphertext[0]).toBe(0x01);
      expect(ciphertext.length).toBe(length + 50);
    }
  });

  it('envelope-encrypts 4097 bytes and more, and the empty input, locally', async () => {
    for (const length of [0, 4097, 65536, 65536 * 3 + 5]) {
      const ciphertext = await roundTrip(randomBytes(length));
      expect(ciphertext.subarray(0, 4).toString('latin1')).toBe('CSEN');
      const chunks = Math.floor(length / 65536) + 1;
      expect(ciphertext.length).toBe(56 + 82 + length + 16 * chunks);
    }
  });

  it('binds the encryption context: decrypt without it fails with INVALID_CIPHERTEXT', async () => {
    for (const data of [Buffer.from('small secret'), randomBytes(10_000)]) {
      const ciphertext = await roundTrip(data, ['--context', 'tenant=acme', '--context', 'x=a=b']);
      const wrong = await runCli(['decrypt', '--context', 'tenant=other'], {
        addr: server.addr,
        stdin: ciphertext,
      });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/INVALID_CIPHERTEXT/);
      expect(wrong.stdout.length).toBe(0);
    }
  });

  it('fails a tampered envelope with exit 1 and INVALID_CIPHERTEXT', async () => {
    const ciphertext = await roundTrip(randomBytes(70_000));
    const tampered = Buffer.from(ciphertext);
    tampered[tampered.length - 100] = tampered[tampered.length - 100]! ^ 0x10;
    const result = await runCli(['decrypt'], { addr: server.addr, stdin: tampered });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/INVALID_CIPHERTEXT: envelope chunk 1 failed authentication/);
    const cut = await runCli(['decrypt'], {
      addr: server.addr,
      stdin: ciphertext.subarray(0, 138 + 65552),
    });
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/INVALID_CIPHERTEXT: envelope is truncated/);
  });

  it('decrypts a v1 ciphertext given as base64 text (as the REST and AWS doors return it)', async () => {
    const ciphertext = await roundTrip(Buffer.from('hello'));
    const text = Buffer.from(`${ciphertext.toString('base64')}\n`);
    const result = await runCli(['decrypt'], { addr: server.addr, stdin: text });
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('hello');
  });

  it('refuses input that is neither format', async () => {
    const result = await runCli(['decrypt'], {
      addr: server.addr,
      stdin: Buffer.from('plain words'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/INVALID_CIPHERTEXT: the input is neither/);
  });

  it('reads --in and writes --out, plaintext owner-only, and prints a summary', async () => {
    const data = randomBytes(100_000);
    const input = join(dir, 'data.bin');
    await writeFile(input, data);
    const sealed = join(dir, 'data.csen');
    const opened = join(dir, 'data.out');
    const enc = await runCli(['encrypt', '--key', 'k', '--in', input, '--out', sealed], {
      addr: server.addr,
    });
    expect(enc.code).toBe(0);
    expect(enc.stdout.toString()).toMatch(/^Encrypted with key .* as an envelope: .* written to /);
    const dec = await runCli(['decrypt', '--in', sealed, '--out', opened, '--json'], {
      addr: server.addr,
    });
    expect(dec.code).toBe(0);
    expect(JSON.parse(dec.stdout.toString())).toMatchObject({
      format: 'envelope-v1',
      keyVersion: 1,
      bytes: data.length,
      out: opened,
    });
    expect((await readFile(opened)).equals(data)).toBe(true);
    expect((await stat(opened)).mode & 0o777).toBe(0o600);
  });

  it('leaves no --out file (and no temporary file) when decryption fails', async () => {
    const sealed = join(dir, 'bad.csen');
    const enc = await runCli(['encrypt', '--key', 'k', '--out', sealed], {
      addr: server.addr,
      stdin: randomBytes(200_000),
    });
    expect(enc.code).toBe(0);
    const bytes = await readFile(sealed);
    await writeFile(sealed, bytes.subarray(0, bytes.length - 1));
    const before = await readdir(dir);
    const target = join(dir, 'never.out');
    const dec = await runCli(['decrypt', '--in', sealed, '--out', target], { addr: server.addr });
    expect(dec.code).toBe(1);
    expect(dec.stderr).toMatch(/INVALID_CIPHERTEXT/);
    expect(await readdir(dir)).toEqual(before);
  });

  it('prints base64 in --json when there is no --out', async () => {
    for (const data of [Buffer.from('tiny'), randomBytes(5000)]) {
      const enc = await runCli(['encrypt', '--key', 'k', '--json'], {
        addr: server.addr,
        stdin: data,
      });
      expect(enc.code).toBe(0);
      const made = JSON.parse(enc.stdout.toString()) as { ciphertext: string; format: string };
      expect(made.format).toBe(data.length > 4096 ? 'envelope-v1' : 'ciphertext-v1');
      const dec = await runCli(['decrypt', '--json'], {
        addr: server.addr,
        stdin: Buffer.from(made.ciphertext, 'base64'),
      });
      const opened = JSON.parse(dec.stdout.toString()) as { plaintext: string };
      expect(Buffer.from(opened.plaintext, 'base64').equals(data)).toBe(true);
    }
  });

  it('reports a server error with exit 1 and its code on stderr (JSON with --json)', async () => {
    const human = await runCli(['encrypt', '--key', 'missing'], {
      addr: server.addr,
      stdin: Buffer.from('x'),
    });
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/^custos encrypt: NOT_FOUND: /);
    const json = await runCli(['encrypt', '--key', 'missing', '--json'], {
      addr: server.addr,
      stdin: randomBytes(5000),
    });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('reports an unreachable server as UNAVAILABLE', async () => {
    const result = await runCli(['encrypt', '--key', 'k'], { stdin: Buffer.from('x') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/UNAVAILABLE/);
  });

  it('draws a progress bar on stderr only when stderr is a terminal', async () => {
    const input = join(dir, 'progress.bin');
    await writeFile(input, randomBytes(3 * 1024 * 1024));
    const args = ['encrypt', '--key', 'k', '--in', input, '--out', join(dir, 'p.csen')];
    const tty = await runCli(args, { addr: server.addr, stderrIsTTY: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/^\rencrypt \[[#-]{24}\] +\d+% .* \/ 3\.0 MiB/);
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true);
    const pipe = await runCli(args, { addr: server.addr });
    expect(pipe.stderr).toBe('');
  });
});
