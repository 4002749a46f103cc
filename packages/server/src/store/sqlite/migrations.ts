import type Database from 'better-sqlite3';
import { UnavailableError } from '../../core/errors.js';
import { moveAccessKeysFromMeta } from './access-key-migration.js';

/** One forward-only schema step; `version`s are ascending integers and never reused. */
export interface Migration {
  readonly version: number;
  readonly sql: string;
  /**
   * Moves existing data into the new shape, in the migration's transaction
   * after `sql`; for what SQL alone cannot do (decoding base64, say).
   */
  readonly data?: (db: Database.Database) => void;
}

// STRICT tables make SQLite reject a value of the wrong type instead of storing
// it silently. Lifecycle and spec names are not CHECK-constrained: SQLite cannot
// alter a CHECK without rebuilding the table, so rows are validated when read.
const V1_INITIAL = `
CREATE TABLE keys (
  id TEXT PRIMARY KEY,
  spec TEXT NOT NULL,
  usage TEXT NOT NULL,
  origin TEXT NOT NULL,
  description TEXT NOT NULL,
  tags TEXT NOT NULL,
  state TEXT NOT NULL,
  exportable INTEGER NOT NULL,
  rotation_period_days INTEGER,
  next_rotation_at INTEGER,
  primary_version INTEGER NOT NULL,
  min_decryption_version INTEGER NOT NULL,
  deletion_date INTEGER,
  material_expires_at INTEGER,
  attributes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  row_version INTEGER NOT NULL
) STRICT;
CREATE INDEX keys_state ON keys (state, id);
CREATE INDEX keys_next_rotation_at ON keys (next_rotation_at, id) WHERE next_rotation_at IS NOT NULL;
CREATE INDEX keys_deletion_date ON keys (deletion_date, id) WHERE deletion_date IS NOT NULL;
CREATE INDEX keys_material_expires_at ON keys (material_expires_at, id)
  WHERE material_expires_at IS NOT NULL;

-- keys.tags (JSON) is what reads return; key_tags mirrors it so that the tag
-- filter is an index lookup. Triggers keep the mirror exact in every transaction.
CREATE TABLE key_tags (
  key_id TEXT NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (key_id, tag_key)
) STRICT, WITHOUT ROWID;
-- One index per tag filter shape, each yielding key ids in order for paging.
CREATE INDEX key_tags_tag ON key_tags (tag_key, key_id);
CREATE INDEX key_tags_tag_value ON key_tags (tag_key, tag_value, key_id);
CREATE TRIGGER keys_tags_after_insert AFTER INSERT ON keys BEGIN
  INSERT INTO key_tags (key_id, tag_key, tag_value)
    SELECT NEW.id, t.key, t.value FROM json_each(NEW.tags) AS t;
END;
CREATE TRIGGER keys_tags_after_update AFTER UPDATE OF tags ON keys
WHEN OLD.tags IS NOT NEW.tags BEGIN
  DELETE FROM key_tags WHERE key_id = NEW.id;
  INSERT INTO key_tags (key_id, tag_key, tag_value)
    SELECT NEW.id, t.key, t.value FROM json_each(NEW.tags) AS t;
END;

CREATE TABLE key_versions (
  key_id TEXT NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  wrapped_material BLOB,
  public_key BLOB,
  usage_count INTEGER NOT NULL DEFAULT 0,
  row_version INTEGER NOT NULL,
  PRIMARY KEY (key_id, version)
) STRICT;

CREATE TABLE aliases (
  name TEXT PRIMARY KEY,
  key_id TEXT NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX aliases_key_id ON aliases (key_id, name);

CREATE TABLE import_tokens (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
  wrapping_algorithm TEXT NOT NULL,
  wrapping_key_spec TEXT NOT NULL,
  wrapped_private_key BLOB NOT NULL,
  public_key BLOB NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX import_tokens_key_id ON import_tokens (key_id);

CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
) STRICT, WITHOUT ROWID;
`;

// Identities. A token row holds the SHA-256 of its secret, never the secret;
// its accessor is the public handle to list and revoke it by. A principal's
// tokens and certificate mappings go with it.
const V2_IDENTITIES = `
CREATE TABLE principals (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  policies TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  row_version INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  accessor TEXT NOT NULL UNIQUE,
  principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
  policies TEXT NOT NULL,
  display_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  last_used_at INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX tokens_principal_id ON tokens (principal_id, accessor);

CREATE TABLE policies (
  name TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  row_version INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE certificate_mappings (
  match_kind TEXT NOT NULL,
  match_value TEXT NOT NULL,
  principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (match_kind, match_value)
) STRICT, WITHOUT ROWID;
CREATE INDEX certificate_mappings_principal_id ON certificate_mappings (principal_id);
`;

// The audit log. `record` is the whole chained record as JSON (src/audit
// hashes and verifies it; the store never looks inside); the other columns
// are copies to filter on. seq is the rowid, so appends stay at the end of
// the table's B-tree and the chain head is one step away.
const V3_AUDIT = `
CREATE TABLE audit_records (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  principal TEXT,
  key_id TEXT,
  operation TEXT NOT NULL,
  outcome TEXT NOT NULL,
  hash TEXT NOT NULL,
  record TEXT NOT NULL
) STRICT;
CREATE INDEX audit_records_time ON audit_records (time);
CREATE INDEX audit_records_principal ON audit_records (principal, seq);
CREATE INDEX audit_records_key_id ON audit_records (key_id, seq);

CREATE TABLE audit_checkpoints (
  kind TEXT NOT NULL,
  seq INTEGER NOT NULL,
  time INTEGER NOT NULL,
  checkpoint TEXT NOT NULL,
  PRIMARY KEY (kind, seq)
) STRICT, WITHOUT ROWID;
`;

// AWS door access keys, formerly JSON entries in `meta` (`access-key/<id>` and
// an `access-keys` index). The secret stays sealed under the domain key with
// the same purpose, so moved keys keep working; a principal's keys now go
// with it.
const V4_ACCESS_KEYS = `
CREATE TABLE access_keys (
  id TEXT PRIMARY KEY,
  principal_id TEXT NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
  wrapped_secret BLOB NOT NULL,
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX access_keys_principal_id ON access_keys (principal_id, id);
`;

// Grants and key policies (the AWS KMS per-key access model). Operations,
// constraints and the translated policy are JSON the authorizer reads; a
// key policy also keeps the document as it was put. Both go with their key.
const V5_KEY_ACCESS = `
CREATE TABLE grants (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
  name TEXT,
  grantee TEXT NOT NULL,
  retiring TEXT,
  issuer TEXT NOT NULL,
  operations TEXT NOT NULL,
  constraints TEXT,
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX grants_key_id ON grants (key_id, id);
CREATE INDEX grants_retiring ON grants (retiring, id) WHERE retiring IS NOT NULL;

CREATE TABLE key_policies (
  key_id TEXT PRIMARY KEY REFERENCES keys (id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  policy TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  row_version INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;

// Expired tokens and import tokens are purged by the scheduler (oldest first,
// a batch at a time): these let it find them without reading every row.
const V6_EXPIRY_INDEXES = `
CREATE INDEX tokens_expires_at ON tokens (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX import_tokens_expires_at ON import_tokens (expires_at);
`;

// Revoked tokens are purged like expired ones, once revoked for longer than
// the purge delay: this index finds them without a scan.
const V7_REVOKED_INDEX = `
CREATE INDEX tokens_revoked_at ON tokens (revoked_at) WHERE revoked_at IS NOT NULL;
`;

/**
 * The schema history, oldest first. Append only: a released migration is never
 * edited, because databases in the field have already run it. Migrations run
 * with foreign keys on; a future table rebuild must use `PRAGMA defer_foreign_keys`.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, sql: V1_INITIAL },
  { version: 2, sql: V2_IDENTITIES },
  { version: 3, sql: V3_AUDIT },
  { version: 4, sql: V4_ACCESS_KEYS, data: moveAccessKeysFromMeta },
  { version: 5, sql: V5_KEY_ACCESS },
  { version: 6, sql: V6_EXPIRY_INDEXES },
  { version: 7, sql: V7_REVOKED_INDEX },
];

/** The newest schema version in `migrations`, 0 for none. */
export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0;
}

/**
 * Brings the database up to the newest schema, each migration in its own
 * transaction, and returns the versions it applied (empty when up to date).
 * Refuses a database from a newer Custos: running old code on a newer schema
 * could silently drop what the newer code wrote.
 *
 * @example
 * const applied = migrate(new Database('custos.db')); // [1] on a fresh file, [] after
 */
export function migrate(db: Database.Database, migrations = MIGRATIONS): number[] {
  assertOrdered(migrations);
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT',
  );
  const known = latestVersion(migrations);
  const current = db
    .prepare<[], number | null>('SELECT max(version) FROM schema_migrations')
    .pluck()
    .get();
  if (current != null && current > known) {
    throw new UnavailableError(
      `the database schema version ${current} is newer than this Custos supports (${known}); upgrade Custos to open it`,
      { details: { schemaVersion: current, supportedVersion: known } },
    );
  }
  const isApplied = db.prepare<[number], number>(
    'SELECT 1 FROM schema_migrations WHERE version = ?',
  );
  const record = db.prepare<[number, string]>(
    'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
  );
  // IMMEDIATE takes the write lock before the check, so two processes opening
  // the same new file cannot both apply a migration.
  const apply = db.transaction((migration: Migration): boolean => {
    if (isApplied.get(migration.version) !== undefined) return false;
    db.exec(migration.sql);
    migration.data?.(db);
    record.run(migration.version, new Date().toISOString());
    return true;
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    if (current != null && migration.version <= current) continue;
    let ran: boolean;
    try {
      ran = apply.immediate(migration);
    } catch (error) {
      throw new UnavailableError(`schema migration ${migration.version} failed`, { cause: error });
    }
    if (ran) applied.push(migration.version);
  }
  return applied;
}

function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const { version } of migrations) {
    if (!Number.isInteger(version) || version <= previous) {
      throw new TypeError(`migration versions must be ascending positive integers (at ${version})`);
    }
    previous = version;
  }
}
