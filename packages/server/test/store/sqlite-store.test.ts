import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { newAlias, newKey, newVersion, seedKeys, write } from './conformance/fixtures.js';
import { describeStoreConformance } from './store-conformance.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-store-'));
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const paths = new WeakMap<Store, string>();
let files = 0;

async function openFileStore(): Promise<SqliteStore> {
  const file = path.join(root, `store-${++files}.db`);
  const store = await openSqliteStore({ path: file });
  paths.set(store, file);
  return store;
}

describeStoreConformance('sqlite file', openFileStore, {
  reopen: async (closed) => {
    const file = paths.get(closed)!;
    const store = await openSqliteStore({ path: file });
    paths.set(store, file);
    return store;
  },
});
describeStoreConformance('sqlite :memory:', () => openSqliteStore({ path: ':memory:' }));

describe('SqliteStore', () => {
  let store: SqliteStore;
  let file: string;
  beforeEach(async () => {
    store = await openFileStore();
    file = paths.get(store)!;
  });
  afterEach(async () => {
    await store.close();
  });

  it('runs with WAL, synchronous FULL, foreign keys and a 5 s busy timeout', async () => {
    expect(await store.settings()).toEqual({
      journalMode: 'wal',
      synchronous: 2,
      foreignKeys: true,
      busyTimeoutMs: 5000,
    });
    const memory = await openSqliteStore({ path: ':memory:' });
    expect(await memory.settings()).toMatchObject({ synchronous: 2, foreignKeys: true });
    await memory.close();
  });

  it('passes PRAGMA integrity_check after writes and deletes', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => newKey({ tags: { i: String(i) } }));
    await seedKeys(store, keys);
    await write(store, async (tx) => {
      for (const key of keys.slice(0, 10)) {
        await tx.insertAlias(newAlias(`alias/k-${key.id}`, key.id));
        await tx.deleteKey(key.id);
      }
    });
    expect(await store.integrityCheck()).toEqual(['ok']);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM key_tags').pluck().get()).toBe(10);
    db.close();
  });

  it('keeps data and does not re-run migrations on reopen', async () => {
    const key = newKey();
    await seedKeys(store, [key]);
    await store.close();
    const before = readMigrations(file);
    store = await openSqliteStore({ path: file });
    expect(await store.getKey(key.id)).toEqual(key);
    await store.close();
    expect(readMigrations(file)).toEqual(before);
    expect(before.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('refuses to open a database with a newer schema version', async () => {
    await store.close();
    const db = new Database(file);
    db.prepare("INSERT INTO schema_migrations VALUES (999, '2099-01-01T00:00:00.000Z')").run();
    db.close();
    const opening = openSqliteStore({ path: file });
    await expect(opening).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(openSqliteStore({ path: file })).rejects.toThrow(/newer/);
  });

  it('answers UNAVAILABLE once closed, and closes idempotently', async () => {
    await store.close();
    await expect(store.getKey('x')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(store.ping()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(write(store, (tx) => tx.putMeta('m', Buffer.alloc(1)))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('fails to open in a missing directory with UNAVAILABLE', async () => {
    const missing = path.join(root, 'no-such-dir', 'custos.db');
    await expect(openSqliteStore({ path: missing })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('reports a malformed stored row as INTERNAL without its content', async () => {
    const key = newKey();
    await seedKeys(store, [key]);
    await store.close();
    const db = new Database(file);
    db.prepare('UPDATE keys SET attributes = \'{"secret": 1}\' WHERE id = ?').run(key.id);
    db.prepare("UPDATE key_versions SET state = 'Bogus' WHERE key_id = ?").run(key.id);
    db.close();
    store = await openSqliteStore({ path: file });
    const read = store.getKey(key.id);
    await expect(read).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(store.getKey(key.id)).rejects.not.toThrow(/secret/);
    await expect(store.getVersion(key.id, 1)).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('keeps SQLite error text out of error messages', async () => {
    const key = newKey();
    await seedKeys(store, [key]);
    const error: unknown = await write(store, (tx) =>
      tx.insertVersion(newVersion(key.id, 1)),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect((error as Error).message).not.toMatch(/constraint|sqlite/i);
  });

  it('rejects an invalid date as INVALID_INPUT', async () => {
    const insert = write(store, (tx) => tx.insertKey(newKey({ createdAt: new Date(Number.NaN) })));
    await expect(insert).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

function readMigrations(file: string): { version: number; applied_at: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare<[], { version: number; applied_at: string }>('SELECT * FROM schema_migrations')
      .all();
  } finally {
    db.close();
  }
}
