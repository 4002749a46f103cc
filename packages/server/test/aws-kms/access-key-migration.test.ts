import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DevFileSeal } from '../../src/seal/dev-file-seal.js';
import { Keyring } from '../../src/seal/keyring.js';
import { resolveAccessKey } from '../../src/service/access-keys/index.js';
import { createKms } from '../../src/service/kms.js';
import { unsealKms } from '../../src/service/seal-state.js';
import { MIGRATIONS, migrate } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

// An access key written by a Custos from before migration 4 (a JSON entry in
// `meta`, its secret sealed under the domain key) still resolves to its
// principal and secret once the store has moved it to its own table.
describe('access keys kept in meta by earlier versions', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('resolve to the same principal and secret after the migration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-ak-migration-'));
    dirs.push(dir);
    const path = join(dir, 'custos.db');
    const seal = await DevFileSeal.create(join(dir, 'root.key'));
    const accessKeyId = 'AKIAQWERTYUIOPASDFGH';
    const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

    // A data directory as schema 3 left it, written the way that version wrote it.
    const keyring = new Keyring();
    const wrappedDomainKey = await keyring.initialize(seal);
    const wrappedSecret = keyring.wrapSecret(
      `access-key:${accessKeyId}`,
      Buffer.from(secretAccessKey, 'utf8'),
    );
    keyring.seal();
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 4),
    );
    const put = db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)');
    put.run('domain-key', wrappedDomainKey);
    put.run('seal-type', Buffer.from('dev-file'));
    db.prepare("INSERT INTO principals VALUES ('service/app', 'service', '[]', 0, 1, 1)").run();
    put.run(
      `access-key/${accessKeyId}`,
      Buffer.from(
        JSON.stringify({
          principalId: 'service/app',
          wrappedSecret: wrappedSecret.toString('base64'),
          createdAt: '2026-01-02T03:04:05.678Z',
        }),
      ),
    );
    put.run('access-keys', Buffer.from(JSON.stringify([accessKeyId])));
    db.close();

    const store = await openSqliteStore({ path });
    const kms = createKms({ store, keyring: new Keyring() });
    try {
      await unsealKms(kms, seal);
      const resolved = await resolveAccessKey(kms, accessKeyId);
      expect(resolved.principal.id).toBe('service/app');
      expect(resolved.secret.bytes.toString('utf8')).toBe(secretAccessKey);
      expect(await store.getAccessKey(accessKeyId)).toMatchObject({
        principalId: 'service/app',
        createdAt: new Date('2026-01-02T03:04:05.678Z'),
      });
      expect(await store.getMeta(`access-key/${accessKeyId}`)).toBeUndefined();
      expect(await store.getMeta('access-keys')).toBeUndefined();
    } finally {
      await store.close();
      kms.keyring.seal();
    }
  });
});
