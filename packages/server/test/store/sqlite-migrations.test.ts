import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, latestVersion, migrate } from '../../src/store/sqlite/migrations.js';

// The version a new migration would take: tests must not hard-code it.
const NEXT = latestVersion() + 1;

describe('SQLite schema migrations', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
  });
  afterEach(() => {
    db.close();
  });

  const versions = () =>
    db
      .prepare<[], { version: number; applied_at: string }>(
        'SELECT version, applied_at FROM schema_migrations ORDER BY version',
      )
      .all();
  const tables = () =>
    db
      .prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();

  it('applies every migration to a fresh database, then none', () => {
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    const applied = versions();
    expect(applied.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(new Date(applied[0]!.applied_at).toISOString()).toBe(applied[0]!.applied_at);
    expect(migrate(db)).toEqual([]);
    expect(versions()).toEqual(applied);
  });

  it('creates the tables and indexes', () => {
    migrate(db);
    expect(tables()).toEqual(
      expect.arrayContaining([
        'aliases',
        'import_tokens',
        'key_tags',
        'key_versions',
        'keys',
        'meta',
        'schema_migrations',
      ]),
    );
    const indexes = db
      .prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'index'")
      .pluck()
      .all();
    expect(indexes).toEqual(
      expect.arrayContaining([
        'keys_state',
        'keys_next_rotation_at',
        'keys_deletion_date',
        'key_tags_tag',
        'key_tags_tag_value',
        'aliases_key_id',
        'import_tokens_key_id',
      ]),
    );
  });

  it('applies only migrations newer than the database, each in its own transaction', () => {
    migrate(db);
    const before = versions();
    const next = [...MIGRATIONS, { version: NEXT, sql: 'CREATE TABLE extra (a INTEGER) STRICT' }];
    expect(migrate(db, next)).toEqual([NEXT]);
    expect(versions().slice(0, before.length)).toEqual(before);
    expect(tables()).toContain('extra');
  });

  it('rolls back a failing migration alone, and can apply it once fixed', () => {
    migrate(db);
    const broken = [
      ...MIGRATIONS,
      { version: NEXT, sql: 'CREATE TABLE extra (a INTEGER); SELECT * FROM no_such_table' },
    ];
    expect(() => migrate(db, broken)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    expect(tables()).not.toContain('extra');
    expect(versions().map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const fixed = [...MIGRATIONS, { version: NEXT, sql: 'CREATE TABLE extra (a INTEGER)' }];
    expect(migrate(db, fixed)).toEqual([NEXT]);
  });

  it('refuses a database whose schema is newer than the code', () => {
    migrate(db);
    db.prepare("INSERT INTO schema_migrations VALUES (?, '2099-01-01T00:00:00.000Z')").run(
      latestVersion() + 1,
    );
    expect(() => migrate(db)).toThrow(/newer than this Custos supports/);
    expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
  });

  it('rejects a migration list that is not strictly ascending', () => {
    expect(() =>
      migrate(db, [
        { version: 2, sql: '' },
        { version: 1, sql: '' },
      ]),
    ).toThrow(TypeError);
    expect(() => migrate(db, [{ version: 1.5, sql: '' }])).toThrow(TypeError);
  });

  describe('4: access keys move from meta to their own table', () => {
    const BEFORE = MIGRATIONS.filter((m) => m.version < 4);
    const putMeta = (name: string, value: string) =>
      db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)').run(name, Buffer.from(value));
    const entry = (principalId: string, secret: Buffer, createdAt: string) =>
      JSON.stringify({ principalId, wrappedSecret: secret.toString('base64'), createdAt });

    it('keeps each live key with its sealed secret unchanged, and drops deleted and orphaned ones', () => {
      migrate(db, BEFORE);
      db.prepare("INSERT INTO principals VALUES ('user/app', 'user', '[]', 0, 1, 1)").run();
      const sealed = Buffer.from([0, 1, 2, 254, 255, 9, 8, 7]);
      putMeta(
        'access-key/AKIAAAAAAAAAAAAAAAAA',
        entry('user/app', sealed, '2025-01-02T03:04:05.678Z'),
      );
      putMeta('access-key/AKIABBBBBBBBBBBBBBBB', '');
      putMeta(
        'access-key/AKIACCCCCCCCCCCCCCCC',
        entry('user/gone', sealed, '2025-01-02T03:04:05.678Z'),
      );
      putMeta('access-keys', JSON.stringify(['AKIAAAAAAAAAAAAAAAAA', 'AKIACCCCCCCCCCCCCCCC']));
      putMeta('domain-key', 'kept');
      expect(migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 4).map((m) => m.version));
      const rows = db
        .prepare<
          [],
          { id: string; principal_id: string; wrapped_secret: Buffer; created_at: number }
        >('SELECT id, principal_id, wrapped_secret, created_at FROM access_keys')
        .all();
      expect(rows).toEqual([
        {
          id: 'AKIAAAAAAAAAAAAAAAAA',
          principal_id: 'user/app',
          wrapped_secret: sealed,
          created_at: Date.parse('2025-01-02T03:04:05.678Z'),
        },
      ]);
      const meta = db.prepare<[], string>('SELECT name FROM meta ORDER BY name').pluck().all();
      expect(meta).toEqual(['domain-key']);
    });

    it('fails on an entry it cannot read, leaving the database as it was', () => {
      migrate(db, BEFORE);
      putMeta('access-key/AKIAAAAAAAAAAAAAAAAA', '{"principalId": 1}');
      expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
      expect(versions().map((m) => m.version)).toEqual(BEFORE.map((m) => m.version));
      expect(tables()).not.toContain('access_keys');
    });
  });
});
