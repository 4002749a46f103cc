import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  runCli,
  startServer,
  type ServerProcess,
  PROCESS_TEST_TIMEOUT_MS,
} from './process-harness.js';

const root = mkdtempSync(join(tmpdir(), 'custos-sealed-'));
const dataDir = join(root, 'data');
const config = join(root, 'custos.yaml');
const passphraseFile = join(root, 'passphrase');
const wrongFile = join(root, 'wrong');
const PASSPHRASE = 'correct horse battery staple';
let server: ServerProcess | undefined;
let token: string;

beforeAll(() => {
  writeFileSync(config, `dataDir: ${dataDir}\nseal:\n  type: passphrase\n`);
  writeFileSync(passphraseFile, `${PASSPHRASE}\n`, { mode: 0o600 });
  writeFileSync(wrongFile, 'not the passphrase\n', { mode: 0o600 });
});

afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

function live(): ServerProcess {
  if (server === undefined) throw new Error('server not started');
  return server;
}

describe(
  'passphrase seal: init, start sealed, unseal, seal',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    it('refuses to start before `custos init`, saying what to do', async () => {
      const early = await startServer({ config, waitFor: 'exit' });
      expect(early.child.exitCode).toBe(1);
      expect(early.stderr()).toContain('custos init');
    });

    it('`custos init` takes the passphrase from a file and prints the root token once', async () => {
      const run = await runCli(['init', '--config', config, '--passphrase-file', passphraseFile]);
      expect(run.code).toBe(0);
      const match = /Root token: (cus_[A-Za-z0-9_-]{43})/.exec(run.stdout);
      expect(match).not.toBeNull();
      token = match![1]!;
      expect(run.stdout).not.toContain(PASSPHRASE);
      // Only the dev-file seal leaves the root token on disk.
      expect(existsSync(join(dataDir, 'root-token'))).toBe(false);
    });

    it('`custos init` twice is ALREADY_EXISTS, exit 1', async () => {
      const run = await runCli(['init', '--config', config, '--passphrase-file', passphraseFile]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('ALREADY_EXISTS');
    });

    it('without a terminal and no --passphrase-file, init is a usage error', async () => {
      const other = join(root, 'other.yaml');
      writeFileSync(other, `dataDir: ${join(root, 'other')}\nseal: { type: passphrase }\n`);
      const run = await runCli(['init', '--config', other]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--passphrase-file');
    });

    it('starts sealed: not ready, every key operation 503 SEALED', async () => {
      server = await startServer({ config });
      expect(live().stdout()).not.toContain('Root token');
      const ready = await call(live(), 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ sealed: true, store: 'ok' });
      expect((await call(live(), 'GET', '/health')).json).toMatchObject({ status: 'sealed' });
      const status = await runCli(['status', '--json'], { env: { CUSTOS_ADDR: live().addr } });
      expect(JSON.parse(status.stdout)).toMatchObject({ sealed: true, sealType: 'passphrase' });
      const attempts = [
        ['POST', '/api/v1/keys', {}],
        ['GET', '/api/v1/keys', undefined],
        ['POST', '/api/v1/random', { numberOfBytes: 16 }],
      ] as const;
      for (const [method, path, body] of attempts) {
        const response = await call(live(), method, path, { token, body });
        expect(response.status, `${method} ${path}`).toBe(503);
        expect(response.json).toMatchObject({ code: 'SEALED' });
      }
    });

    it('a wrong passphrase is INVALID_INPUT (exit 1) and leaves it sealed', async () => {
      const env = { CUSTOS_ADDR: live().addr };
      const run = await runCli(['operator', 'unseal', '--passphrase-file', wrongFile], { env });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('INVALID_INPUT');
      expect((await call(live(), 'GET', '/health/ready')).status).toBe(503);
    });

    it('`custos operator unseal --passphrase-file` unseals; keys work', async () => {
      const env = { CUSTOS_ADDR: live().addr };
      const run = await runCli(
        ['operator', 'unseal', '--passphrase-file', passphraseFile, '--json'],
        {
          env,
        },
      );
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ sealed: false, initialized: true });
      expect((await call(live(), 'GET', '/health/ready')).status).toBe(200);
      const created = await call(live(), 'POST', '/api/v1/keys', { token, body: {} });
      expect(created.status).toBe(201);
    });

    it('`custos operator seal` needs the root token; sealed again, keys 503', async () => {
      const addr = live().addr;
      const anonymous = await runCli(['operator', 'seal'], { env: { CUSTOS_ADDR: addr } });
      expect(anonymous.code).toBe(1);
      expect(anonymous.stderr).toContain('ACCESS_DENIED');
      const run = await runCli(['operator', 'seal', '--json'], {
        env: { CUSTOS_ADDR: addr, CUSTOS_TOKEN: token },
      });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ sealed: true });
      const response = await call(live(), 'GET', '/api/v1/keys', { token });
      expect(response.status).toBe(503);
      expect(response.json).toMatchObject({ code: 'SEALED' });
    });

    it('stays sealed across a restart until unsealed again', async () => {
      expect(await live().stop('SIGTERM')).toBe(0);
      server = await startServer({ config });
      expect((await call(live(), 'GET', '/health/ready')).status).toBe(503);
      const run = await runCli(['operator', 'unseal', '--passphrase-file', passphraseFile], {
        env: { CUSTOS_ADDR: live().addr },
      });
      expect(run.code).toBe(0);
      const listed = await call(live(), 'GET', '/api/v1/keys', { token });
      expect(listed.status).toBe(200);
      expect((listed.json?.keys as unknown[]).length).toBe(1);
    });
  },
);
