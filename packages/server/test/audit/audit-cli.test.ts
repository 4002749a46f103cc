import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { auditExportCommand } from '../../src/cli/commands/audit-export.js';
import { auditTailCommand } from '../../src/cli/commands/audit-tail.js';
import { auditVerifyCommand } from '../../src/cli/commands/audit-verify.js';
import { dispatch } from '../../src/cli/dispatch.js';
import { BINARY } from '../cli/binary-harness.js';
import { startTestApp, type AppHarness } from '../observability/app-harness.js';

const COMMANDS = [auditVerifyCommand, auditExportCommand, auditTailCommand];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function collector(into: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      into.push(chunk.toString('utf8'));
      done();
    },
  });
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: collector(out),
    stderr: collector(err),
    stdin: Readable.from([]),
    env,
    isTTY: false,
  };
  const code = await dispatch(COMMANDS, args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

let h: AppHarness;
let publicKey: string;

beforeAll(async () => {
  h = await startTestApp();
  const created = await h.call('POST', '/api/v1/keys', { body: {} });
  for (let i = 0; i < 5; i += 1) {
    await h.call('POST', `/api/v1/keys/${created.body.keyId as string}/encrypt`, {
      body: { plaintext: Buffer.from('x').toString('base64') },
    });
  }
  publicKey = (await h.call('GET', '/api/v1/audit/public-key')).body.publicKey as string;
});

afterAll(async () => {
  await h.close();
});

describe('custos audit tail', () => {
  it('prints the newest records oldest first, as JSON lines with --json', async () => {
    const env = { CUSTOS_ADDR: h.app.url, CUSTOS_TOKEN: h.rootToken };
    const run = await cli(['audit', 'tail', '-n', '3', '--json', '--operation', 'encrypt'], env);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; operation: string });
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.operation)).toEqual(['encrypt', 'encrypt', 'encrypt']);
    expect(lines[0]!.seq).toBeLessThan(lines[2]!.seq);
    const human = await cli(['audit', 'tail', '-n', '1'], env);
    expect(human.stdout).toMatch(/#\d+ success root rest\/listAuditRecords/);
  });

  it('follows the log with -f until interrupted', async () => {
    const child = spawn(
      process.execPath,
      [
        BINARY,
        'audit',
        'tail',
        '-f',
        '-n',
        '1',
        '--interval',
        '100',
        '--json',
        '--operation',
        'describeKey',
      ],
      {
        env: { PATH: process.env.PATH ?? '', CUSTOS_ADDR: h.app.url, CUSTOS_TOKEN: h.rootToken },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const created = await h.call('POST', '/api/v1/keys', { body: {} });
    const keyId = created.body.keyId as string;
    await h.call('GET', `/api/v1/keys/${keyId}`);
    const deadline = Date.now() + 15_000;
    while (!out.includes(keyId) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain(`"keyId":"${keyId}"`);
  });
});

describe('custos audit verify and export (offline, server stopped)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = dataDirOf(h);
    await h.app.stop();
  });

  it('verifies an untouched data dir: exit 0', async () => {
    const run = await cli(['audit', 'verify', '--data-dir', dir]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('audit log verified through seq');
    const json = await cli(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, firstBadSeq: null });
  });

  it('exports JSON lines that verify with the public key, and fail when a line is changed', async () => {
    const file = join(dir, 'export.jsonl');
    const exported = await cli(['audit', 'export', '--data-dir', dir, '--out', file, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ file });
    expect((await cli(['audit', 'verify', '--file', file, '--public-key', publicKey])).code).toBe(
      0,
    );
    const again = await cli(['audit', 'export', '--data-dir', dir, '--out', file]);
    expect(again.code).toBe(1);
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"seq":4,'));
    lines[at] = lines[at]!.replace('"principal":"root"', '"principal":"user/mallory"');
    writeFileSync(file, lines.join('\n'));
    const bad = await cli(['audit', 'verify', '--file', file, '--public-key', publicKey]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('at seq 4');
    expect((await cli(['audit', 'verify', '--file', file])).code).toBe(2);
  });

  it('the built binary exits non-zero naming the first bad seq after a row is changed in the database', async () => {
    const ok = await binary(['audit', 'verify', '--data-dir', dir]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const db = new Database(join(dir, 'custos.db'));
    try {
      db.prepare(
        `UPDATE audit_records SET record = replace(record, '"outcome":"success"', '"outcome":"failure"'), outcome = 'failure' WHERE seq = 3`,
      ).run();
    } finally {
      db.close();
    }
    const bad = await binary(['audit', 'verify', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('FAILED verification at seq 3');
  });
});

function dataDirOf(app: AppHarness): string {
  const line = app.logLines.find((l) => l.includes('"dataDir"'));
  return (JSON.parse(line!) as { dataDir: string }).dataDir;
}

function binary(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('custos audit verify did not finish'));
    }, 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
