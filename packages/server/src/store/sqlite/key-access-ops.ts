import type Database from 'better-sqlite3';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { AccessKeyRecord } from '../../core/identity.js';
import type { GrantRecord, KeyPolicyRecord } from '../../core/key-access.js';
import type { GrantFilter, Page, PageRequest } from '../store.js';
import {
  type AccessKeyRow,
  type GrantRow,
  type KeyPolicyRow,
  accessKeyRow,
  grantRow,
  keyPolicyRow,
  toAccessKey,
  toGrant,
  toKeyPolicy,
} from './key-access-rows.js';
import { decodeCursor, pageSize, toPage } from './pagination.js';
import { insertError, sqliteCode } from './sqlite-errors.js';

const ACCESS_KEY_COLUMNS = 'id, principal_id, wrapped_secret, created_at';
const GRANT_COLUMNS =
  'id, key_id, name, grantee, retiring, issuer, operations, constraints, created_at';
const KEY_POLICY_COLUMNS = 'key_id, text, policy, updated_at, row_version';

/** The statements over access_keys, grants and key_policies, prepared once per connection. */
function prepare(db: Database.Database) {
  return {
    getAccessKey: db.prepare<[string], AccessKeyRow>(
      `SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE id = ?`,
    ),
    listAccessKeys: db.prepare<[string, number], AccessKeyRow>(
      `SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE id > ? ORDER BY id LIMIT ?`,
    ),
    listPrincipalAccessKeys: db.prepare<[string, string, number], AccessKeyRow>(
      `SELECT ${ACCESS_KEY_COLUMNS} FROM access_keys WHERE principal_id = ? AND id > ?
       ORDER BY id LIMIT ?`,
    ),
    insertAccessKey: db.prepare<AccessKeyRow>(
      `INSERT INTO access_keys (${ACCESS_KEY_COLUMNS})
       VALUES (@id, @principal_id, @wrapped_secret, @created_at)`,
    ),
    deleteAccessKey: db.prepare<[string]>('DELETE FROM access_keys WHERE id = ?'),

    getGrant: db.prepare<[string], GrantRow>(`SELECT ${GRANT_COLUMNS} FROM grants WHERE id = ?`),
    listGrants: db.prepare<[string, number], GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM grants WHERE id > ? ORDER BY id LIMIT ?`,
    ),
    // Grantee and name narrow one key's grants; the key's index gives the order.
    listKeyGrants: db.prepare<
      { key_id: string; grantee: string | null; name: string | null; after: string; limit: number },
      GrantRow
    >(
      `SELECT ${GRANT_COLUMNS} FROM grants WHERE key_id = @key_id AND id > @after
       AND (@grantee IS NULL OR grantee = @grantee) AND (@name IS NULL OR name = @name)
       ORDER BY id LIMIT @limit`,
    ),
    listRetirableGrants: db.prepare<[string, string, number], GrantRow>(
      `SELECT ${GRANT_COLUMNS} FROM grants WHERE retiring = ? AND id > ? ORDER BY id LIMIT ?`,
    ),
    insertGrant: db.prepare<GrantRow>(
      `INSERT INTO grants (${GRANT_COLUMNS}) VALUES (@id, @key_id, @name, @grantee, @retiring,
       @issuer, @operations, @constraints, @created_at)`,
    ),
    deleteGrant: db.prepare<[string]>('DELETE FROM grants WHERE id = ?'),
    countGrants: db
      .prepare<[string], number>('SELECT count(*) FROM grants WHERE key_id = ?')
      .pluck(),

    getKeyPolicy: db.prepare<[string], KeyPolicyRow>(
      `SELECT ${KEY_POLICY_COLUMNS} FROM key_policies WHERE key_id = ?`,
    ),
    listKeyPolicies: db.prepare<[string, number], KeyPolicyRow>(
      `SELECT ${KEY_POLICY_COLUMNS} FROM key_policies WHERE key_id > ? ORDER BY key_id LIMIT ?`,
    ),
    insertKeyPolicy: db.prepare<KeyPolicyRow>(
      `INSERT INTO key_policies (${KEY_POLICY_COLUMNS})
       VALUES (@key_id, @text, @policy, @updated_at, @row_version)`,
    ),
    updateKeyPolicy: db.prepare<KeyPolicyRow>(
      `UPDATE key_policies SET text = @text, policy = @policy, updated_at = @updated_at,
       row_version = row_version + 1 WHERE key_id = @key_id AND row_version = @row_version`,
    ),
  };
}

/** Access keys, grants and key policies as synchronous calls; SqliteStore decides when they run. */
export class SqliteKeyAccessOps {
  private readonly sql: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.sql = prepare(db);
  }

  getAccessKey(id: string): AccessKeyRecord | undefined {
    const row = this.sql.getAccessKey.get(id);
    return row === undefined ? undefined : toAccessKey(row);
  }

  listAccessKeys(
    filter: { readonly principalId?: string },
    page: PageRequest,
  ): Page<AccessKeyRecord> {
    const size = pageSize(page.limit);
    const after = decodeCursor(page.cursor);
    const rows =
      filter.principalId === undefined
        ? this.sql.listAccessKeys.all(after, size + 1)
        : this.sql.listPrincipalAccessKeys.all(filter.principalId, after, size + 1);
    return toPage(rows, size, toAccessKey, (row) => row.id);
  }

  insertAccessKey(record: AccessKeyRecord): void {
    try {
      this.sql.insertAccessKey.run(accessKeyRow(record));
    } catch (error) {
      if (sqliteCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new NotFoundError(`principal ${record.principalId} does not exist`, {
          cause: error,
        });
      }
      throw insertError(error, `access key ${record.accessKeyId}`);
    }
  }

  deleteAccessKey(id: string): void {
    if (this.sql.deleteAccessKey.run(id).changes === 0) {
      throw new NotFoundError(`access key ${id} does not exist`);
    }
  }

  getGrant(id: string): GrantRecord | undefined {
    const row = this.sql.getGrant.get(id);
    return row === undefined ? undefined : toGrant(row);
  }

  listGrants(filter: GrantFilter, page: PageRequest): Page<GrantRecord> {
    const size = pageSize(page.limit);
    const after = decodeCursor(page.cursor);
    let rows: GrantRow[];
    if (filter.keyId !== undefined) {
      rows = this.sql.listKeyGrants.all({
        key_id: filter.keyId,
        grantee: filter.granteePrincipal ?? null,
        name: filter.name ?? null,
        after,
        limit: size + 1,
      });
    } else if (filter.retiringPrincipal !== undefined) {
      rows = this.sql.listRetirableGrants.all(filter.retiringPrincipal, after, size + 1);
    } else {
      rows = this.sql.listGrants.all(after, size + 1);
    }
    return toPage(rows, size, toGrant, (row) => row.id);
  }

  countGrants(keyId: string): number {
    return this.sql.countGrants.get(keyId) ?? 0;
  }

  insertGrant(grant: GrantRecord): void {
    try {
      this.sql.insertGrant.run(grantRow(grant));
    } catch (error) {
      throw insertError(error, `grant ${grant.grantId}`, grant.keyId);
    }
  }

  deleteGrant(id: string): void {
    if (this.sql.deleteGrant.run(id).changes === 0) {
      throw new NotFoundError(`grant ${id} does not exist`);
    }
  }

  getKeyPolicy(keyId: string): KeyPolicyRecord | undefined {
    const row = this.sql.getKeyPolicy.get(keyId);
    return row === undefined ? undefined : toKeyPolicy(row);
  }

  listKeyPolicies(page: PageRequest): Page<KeyPolicyRecord> {
    const size = pageSize(page.limit);
    const rows = this.sql.listKeyPolicies.all(decodeCursor(page.cursor), size + 1);
    return toPage(rows, size, toKeyPolicy, (row) => row.key_id);
  }

  insertKeyPolicy(record: KeyPolicyRecord): void {
    try {
      this.sql.insertKeyPolicy.run(keyPolicyRow(record));
    } catch (error) {
      throw insertError(error, `the policy of key ${record.keyId}`, record.keyId);
    }
  }

  updateKeyPolicy(record: KeyPolicyRecord): KeyPolicyRecord {
    if (this.sql.updateKeyPolicy.run(keyPolicyRow(record)).changes === 0) {
      throw this.sql.getKeyPolicy.get(record.keyId) === undefined
        ? new NotFoundError(`key ${record.keyId} has no key policy`)
        : new ConflictError(`the policy of key ${record.keyId} was changed concurrently`);
    }
    return { ...record, rowVersion: record.rowVersion + 1 };
  }
}
