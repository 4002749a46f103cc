import type Database from 'better-sqlite3';
import { type IdentityStatements, prepareIdentityStatements } from './identity-statements.js';
import type { AliasRow, ImportTokenRow, KeyRow, VersionRow } from './rows.js';

type Stmt<P extends unknown[] | object, R = unknown> = Database.Statement<P, R>;

/** The fixed statements; the row types say what each binds and returns. */
export interface Statements {
  readonly begin: Stmt<[]>;
  readonly commit: Stmt<[]>;
  readonly rollback: Stmt<[]>;
  readonly ping: Stmt<[], number>;
  readonly getKey: Stmt<[string], KeyRow>;
  readonly keyExists: Stmt<[string], number>;
  readonly dueForRotation: Stmt<[number, number], KeyRow>;
  readonly dueForDeletion: Stmt<[number, number], KeyRow>;
  readonly dueForMaterialExpiry: Stmt<[number, number], KeyRow>;
  readonly insertKey: Stmt<KeyRow>;
  readonly updateKey: Stmt<KeyRow>;
  readonly deleteKey: Stmt<[string]>;
  readonly getVersions: Stmt<[string], VersionRow>;
  readonly getVersion: Stmt<[string, number], VersionRow>;
  readonly versionExists: Stmt<[string, number], number>;
  readonly insertVersion: Stmt<VersionRow>;
  readonly updateVersion: Stmt<VersionRow, number>;
  readonly addUsage: Stmt<[number, string, number]>;
  readonly getAlias: Stmt<[string], AliasRow>;
  readonly listAliases: Stmt<[string, number], AliasRow>;
  readonly listKeyAliases: Stmt<[string, string, number], AliasRow>;
  readonly insertAlias: Stmt<AliasRow>;
  readonly updateAlias: Stmt<AliasRow>;
  readonly deleteAlias: Stmt<[string]>;
  readonly getImportToken: Stmt<[string], ImportTokenRow>;
  readonly putImportToken: Stmt<ImportTokenRow>;
  readonly deleteImportToken: Stmt<[string]>;
  readonly getMeta: Stmt<[string], Buffer>;
  readonly putMeta: Stmt<[string, Buffer]>;
  readonly identity: IdentityStatements;
}

export const KEY_COLUMNS = `id, spec, usage, origin, description, tags, state, exportable,
  rotation_period_days, next_rotation_at, primary_version, min_decryption_version,
  deletion_date, material_expires_at, attributes, created_at, updated_at, row_version`;
const VERSION_COLUMNS = `key_id, version, state, created_at, wrapped_material, public_key,
  usage_count, row_version`;

/** Every fixed statement, prepared once per connection so a call only binds and steps. */
export function prepareStatements(db: Database.Database): Statements {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    ping: db.prepare<[], number>('SELECT 1').pluck(),

    getKey: db.prepare<[string], KeyRow>(`SELECT ${KEY_COLUMNS} FROM keys WHERE id = ?`),
    keyExists: db.prepare<[string], number>('SELECT 1 FROM keys WHERE id = ?').pluck(),
    // Unary + keeps the planner on the due-time index (no sort) rather than keys_state.
    dueForRotation: db.prepare<[number, number], KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM keys
       WHERE next_rotation_at IS NOT NULL AND next_rotation_at <= ?
         AND +state = 'Enabled'
       ORDER BY next_rotation_at, id LIMIT ?`,
    ),
    dueForDeletion: db.prepare<[number, number], KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM keys
       WHERE deletion_date IS NOT NULL AND deletion_date <= ?
         AND +state = 'PendingDeletion'
       ORDER BY deletion_date, id LIMIT ?`,
    ),
    dueForMaterialExpiry: db.prepare<[number, number], KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM keys
       WHERE material_expires_at IS NOT NULL AND material_expires_at <= ?
       ORDER BY material_expires_at, id LIMIT ?`,
    ),
    insertKey: db.prepare<KeyRow>(
      `INSERT INTO keys (${KEY_COLUMNS}) VALUES (@id, @spec, @usage, @origin, @description, @tags,
       @state, @exportable, @rotation_period_days, @next_rotation_at, @primary_version,
       @min_decryption_version, @deletion_date, @material_expires_at, @attributes, @created_at,
       @updated_at, @row_version)`,
    ),
    // id and created_at never change; row_version is the expected (read) value.
    updateKey: db.prepare<KeyRow>(
      `UPDATE keys SET spec = @spec, usage = @usage, origin = @origin, description = @description,
       tags = @tags, state = @state, exportable = @exportable,
       rotation_period_days = @rotation_period_days, next_rotation_at = @next_rotation_at,
       primary_version = @primary_version, min_decryption_version = @min_decryption_version,
       deletion_date = @deletion_date, material_expires_at = @material_expires_at,
       attributes = @attributes, updated_at = @updated_at, row_version = row_version + 1
       WHERE id = @id AND row_version = @row_version`,
    ),
    deleteKey: db.prepare<[string]>('DELETE FROM keys WHERE id = ?'),

    getVersions: db.prepare<[string], VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM key_versions WHERE key_id = ? ORDER BY version`,
    ),
    getVersion: db.prepare<[string, number], VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM key_versions WHERE key_id = ? AND version = ?`,
    ),
    versionExists: db
      .prepare<[string, number], number>(
        'SELECT 1 FROM key_versions WHERE key_id = ? AND version = ?',
      )
      .pluck(),
    insertVersion: db.prepare<VersionRow>(
      `INSERT INTO key_versions (${VERSION_COLUMNS}) VALUES (@key_id, @version, @state,
       @created_at, @wrapped_material, @public_key, @usage_count, @row_version)`,
    ),
    // usage_count is left alone: addVersionUsage owns it, and an update made
    // from a stale read must not undo the counts added meanwhile.
    updateVersion: db
      .prepare<VersionRow, number>(
        `UPDATE key_versions SET state = @state, wrapped_material = @wrapped_material,
         public_key = @public_key, row_version = row_version + 1
         WHERE key_id = @key_id AND version = @version AND row_version = @row_version
         RETURNING usage_count`,
      )
      .pluck(),
    addUsage: db.prepare<[number, string, number]>(
      'UPDATE key_versions SET usage_count = usage_count + ? WHERE key_id = ? AND version = ?',
    ),

    getAlias: db.prepare<[string], AliasRow>(
      'SELECT name, key_id, created_at, updated_at FROM aliases WHERE name = ?',
    ),
    listAliases: db.prepare<[string, number], AliasRow>(
      `SELECT name, key_id, created_at, updated_at FROM aliases
       WHERE name > ? ORDER BY name LIMIT ?`,
    ),
    listKeyAliases: db.prepare<[string, string, number], AliasRow>(
      `SELECT name, key_id, created_at, updated_at FROM aliases
       WHERE key_id = ? AND name > ? ORDER BY name LIMIT ?`,
    ),
    insertAlias: db.prepare<AliasRow>(
      `INSERT INTO aliases (name, key_id, created_at, updated_at)
       VALUES (@name, @key_id, @created_at, @updated_at)`,
    ),
    updateAlias: db.prepare<AliasRow>(
      'UPDATE aliases SET key_id = @key_id, updated_at = @updated_at WHERE name = @name',
    ),
    deleteAlias: db.prepare<[string]>('DELETE FROM aliases WHERE name = ?'),

    getImportToken: db.prepare<[string], ImportTokenRow>(
      `SELECT id, key_id, wrapping_algorithm, wrapping_key_spec, wrapped_private_key, public_key,
       expires_at, created_at FROM import_tokens WHERE id = ?`,
    ),
    putImportToken: db.prepare<ImportTokenRow>(
      `INSERT INTO import_tokens (id, key_id, wrapping_algorithm, wrapping_key_spec,
       wrapped_private_key, public_key, expires_at, created_at)
       VALUES (@id, @key_id, @wrapping_algorithm, @wrapping_key_spec, @wrapped_private_key,
       @public_key, @expires_at, @created_at)
       ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id,
       wrapping_algorithm = excluded.wrapping_algorithm,
       wrapping_key_spec = excluded.wrapping_key_spec,
       wrapped_private_key = excluded.wrapped_private_key, public_key = excluded.public_key,
       expires_at = excluded.expires_at, created_at = excluded.created_at`,
    ),
    deleteImportToken: db.prepare<[string]>('DELETE FROM import_tokens WHERE id = ?'),

    getMeta: db.prepare<[string], Buffer>('SELECT value FROM meta WHERE name = ?').pluck(),
    putMeta: db.prepare<[string, Buffer]>(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ),
    identity: prepareIdentityStatements(db),
  };
}
