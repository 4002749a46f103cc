import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDirPaths } from '../../src/app-data-dir.js';
import { initializeDevFile } from '../../src/app-seal.js';
import { loadConfig } from '../../src/ops/config.js';
import { DevFileSeal } from '../../src/seal/dev-file-seal.js';
import { Keyring } from '../../src/seal/keyring.js';
import { createKms } from '../../src/service/kms.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { call, startServer, PROCESS_TEST_TIMEOUT_MS } from './process-harness.js';

const root = mkdtempSync(join(tmpdir(), 'custos-recovery-'));

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

async function pathsFor(dataDir: string) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return dataDirPaths(await loadConfig({ flags: { dataDir }, env: {} }));
}

describe(
  'a first start interrupted half way is finished by the next one',
  { timeout: PROCESS_TEST_TIMEOUT_MS },
  () => {
    it('domain key stored, root token never created: the next start issues it', async () => {
      const dataDir = join(root, 'no-token');
      const paths = await pathsFor(dataDir);
      const store = await openSqliteStore({ path: paths.database });
      const kms = createKms({ store, keyring: new Keyring() });
      await initializeDevFile(kms, paths);
      await store.close();
      kms.keyring.seal();

      const server = await startServer({ dataDir });
      try {
        const token = readFileSync(paths.rootToken, 'utf8').trim();
        expect(server.stdout()).toContain(`Root token: ${token}`);
        expect((await call(server, 'GET', '/api/v1/keys', { token })).status).toBe(200);
      } finally {
        expect(await server.stop('SIGTERM')).toBe(0);
      }
    });

    it('root key file written, store not initialised: the file is reused', async () => {
      const dataDir = join(root, 'key-only');
      const paths = await pathsFor(dataDir);
      (await DevFileSeal.create(paths.rootKey)).close();
      const keyBefore = readFileSync(paths.rootKey);

      const server = await startServer({ dataDir });
      try {
        expect(readFileSync(paths.rootKey)).toEqual(keyBefore);
        const token = readFileSync(paths.rootToken, 'utf8').trim();
        expect((await call(server, 'POST', '/api/v1/keys', { token, body: {} })).status).toBe(201);
      } finally {
        expect(await server.stop('SIGTERM')).toBe(0);
      }
    });
  },
);
