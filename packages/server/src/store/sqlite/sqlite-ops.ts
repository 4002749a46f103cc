import type Database from 'better-sqlite3';
import { SqliteAuditOps } from './audit-ops.js';
import { SqliteKeyAccessOps } from './key-access-ops.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { Alias, ImportToken, KeyRecord, KeyVersion } from '../../core/key.js';
import type { DueKind, KeyFilter, Page, PageRequest, VersionUsage } from '../store.js';
import { decodeCursor, pageSize, toPage } from './pagination.js';
import {
  aliasRow,
  importTokenRow,
  keyRow,
  millis,
  toAlias,
  toImportToken,
  toKeyRecord,
  toKeyVersion,
  versionRow,
  type AliasRow,
  type KeyRow,
} from './rows.js';
import { insertError } from './sqlite-errors.js';
import { KeyListStatements, keyListParams } from './key-list.js';
import { prepareStatements, type Statements } from './statements.js';

/**
 * The store's operations as plain synchronous calls on one connection. They
 * know nothing of locking or transactions: SqliteStore decides when they may
 * run, which is what lets one implementation serve reads and transactions.
 */
export class SqliteOps {
  readonly sql: Statements;
  readonly audit: SqliteAuditOps;
  readonly access: SqliteKeyAccessOps;
  private readonly keyLists: KeyListStatements;
  private readonly addUsageBatch: (usage: readonly VersionUsage[]) => void;

  constructor(db: Database.Database) {
    this.sql = prepareStatements(db);
    this.audit = new SqliteAuditOps(db);
    this.access = new SqliteKeyAccessOps(db);
    this.keyLists = new KeyListStatements(db);
    const addUsage = this.sql.addUsage;
    const batch = db.transaction((usage: readonly VersionUsage[]) => {
      for (const { keyId, version, count } of usage) addUsage.run(count, keyId, version);
    });
    this.addUsageBatch = (usage) => {
      batch.immediate(usage);
    };
  }

  getKey(id: string): KeyRecord | undefined {
    const row = this.sql.getKey.get(id);
    return row === undefined ? undefined : toKeyRecord(row);
  }

  listKeys(filter: KeyFilter, page: PageRequest): Page<KeyRecord> {
    const size = pageSize(page.limit);
    const params = keyListParams(filter, decodeCursor(page.cursor), size + 1);
    const rows = this.keyLists.get(filter).all(...params);
    return toPage(rows, size, toKeyRecord, keyId);
  }

  listDueKeys(kind: DueKind, now: Date, limit: number): KeyRecord[] {
    const statement = {
      rotation: this.sql.dueForRotation,
      deletion: this.sql.dueForDeletion,
      'material-expiry': this.sql.dueForMaterialExpiry,
    }[kind];
    return statement.all(millis(now), pageSize(limit)).map(toKeyRecord);
  }

  getVersions(keyId: string): KeyVersion[] {
    return this.sql.getVersions.all(keyId).map(toKeyVersion);
  }

  getVersion(keyId: string, version: number): KeyVersion | undefined {
    const row = this.sql.getVersion.get(keyId, version);
    return row === undefined ? undefined : toKeyVersion(row);
  }

  getAlias(name: string): Alias | undefined {
    const row = this.sql.getAlias.get(name);
    return row === undefined ? undefined : toAlias(row);
  }

  listAliases(filter: { readonly keyId?: string }, page: PageRequest): Page<Alias> {
    const size = pageSize(page.limit);
    const after = decodeCursor(page.cursor);
    const rows =
      filter.keyId === undefined
        ? this.sql.listAliases.all(after, size + 1)
        : this.sql.listKeyAliases.all(filter.keyId, after, size + 1);
    return toPage(rows, size, toAlias, aliasName);
  }

  getImportToken(id: string): ImportToken | undefined {
    const row = this.sql.getImportToken.get(id);
    return row === undefined ? undefined : toImportToken(row);
  }

  getMeta(name: string): Buffer | undefined {
    return this.sql.getMeta.get(name);
  }

  insertKey(key: KeyRecord): void {
    try {
      this.sql.insertKey.run(keyRow(key));
    } catch (error) {
      throw insertError(error, `key ${key.id}`);
    }
  }

  updateKey(key: KeyRecord): KeyRecord {
    if (this.sql.updateKey.run(keyRow(key)).changes === 0) {
      throw this.sql.keyExists.get(key.id) === undefined
        ? new NotFoundError(`key ${key.id} does not exist`)
        : new ConflictError(`key ${key.id} was changed concurrently`);
    }
    // Every column but id and created_at was just written from `key`.
    return { ...key, rowVersion: key.rowVersion + 1 };
  }

  deleteKey(id: string): void {
    // Versions, aliases, tags and import tokens go with it (ON DELETE CASCADE).
    this.sql.deleteKey.run(id);
  }

  insertVersion(version: KeyVersion): void {
    try {
      this.sql.insertVersion.run(versionRow(version));
    } catch (error) {
      throw insertError(error, `version ${version.version} of key ${version.keyId}`, version.keyId);
    }
  }

  updateVersion(version: KeyVersion): KeyVersion {
    const usageCount = this.sql.updateVersion.get(versionRow(version));
    if (usageCount === undefined) {
      const name = `version ${version.version} of key ${version.keyId}`;
      throw this.sql.versionExists.get(version.keyId, version.version) === undefined
        ? new NotFoundError(`${name} does not exist`)
        : new ConflictError(`${name} was changed concurrently`);
    }
    return { ...version, usageCount, rowVersion: version.rowVersion + 1 };
  }

  addVersionUsage(usage: readonly VersionUsage[]): void {
    // A version deleted meanwhile just takes no count: these are statistics.
    if (usage.length > 0) this.addUsageBatch(usage);
  }

  insertAlias(alias: Alias): void {
    try {
      this.sql.insertAlias.run(aliasRow(alias));
    } catch (error) {
      throw insertError(error, `alias ${alias.name}`, alias.keyId);
    }
  }

  updateAlias(alias: Alias): void {
    let changes: number;
    try {
      changes = this.sql.updateAlias.run(aliasRow(alias)).changes;
    } catch (error) {
      throw insertError(error, `alias ${alias.name}`, alias.keyId);
    }
    if (changes === 0) throw new NotFoundError(`alias ${alias.name} does not exist`);
  }

  deleteAlias(name: string): void {
    if (this.sql.deleteAlias.run(name).changes === 0) {
      throw new NotFoundError(`alias ${name} does not exist`);
    }
  }

  putImportToken(token: ImportToken): void {
    try {
      this.sql.putImportToken.run(importTokenRow(token));
    } catch (error) {
      throw insertError(error, `import token ${token.id}`, token.keyId);
    }
  }

  deleteImportToken(id: string): void {
    this.sql.deleteImportToken.run(id);
  }

  putMeta(name: string, value: Buffer): void {
    this.sql.putMeta.run(name, value);
  }
}

function keyId(row: KeyRow): string {
  return row.id;
}

function aliasName(row: AliasRow): string {
  return row.name;
}
