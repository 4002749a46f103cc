import Database from 'better-sqlite3';
import { UnavailableError } from '../../core/errors.js';
import type {
  AuditHead,
  AuditQuery,
  AuditReader,
  StoredAuditCheckpoint,
  StoredAuditRecord,
} from '../audit-port.js';
import type { Page, PageRequest } from '../store.js';
import { SqliteAuditOps } from './audit-ops.js';
import { toStoreError } from './sqlite-errors.js';

/** What offline verification reads: the audit tables and the meta entries. */
export interface AuditFileReader extends AuditReader {
  getMeta(name: string): Promise<Buffer | undefined>;
  close(): void;
}

/**
 * Opens a Custos database read-only for the audit tables, with the server
 * stopped or running (WAL lets a reader in beside the writer). Nothing is
 * migrated or written, and no seal is needed: the audit public key is in
 * clear.
 *
 * @example
 * const file = openAuditFile(join(dataDir, 'custos.db'));
 * try { const result = await verifyStoredLog(file) } finally { file.close() }
 */
export function openAuditFile(path: string): AuditFileReader {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new UnavailableError(`cannot open the database at ${path} read-only`, { cause: error });
  }
  try {
    const hasAudit = db
      .prepare<[], number>("SELECT count(*) FROM sqlite_schema WHERE name = 'audit_records'")
      .pluck()
      .get();
    if (hasAudit !== 1) {
      throw new UnavailableError(`the database at ${path} has no audit log (schema too old)`);
    }
    return new SqliteAuditFile(db);
  } catch (error) {
    db.close();
    throw toStoreError(error);
  }
}

class SqliteAuditFile implements AuditFileReader {
  private readonly ops: SqliteAuditOps;
  private readonly meta: Database.Statement<[string], Buffer>;

  constructor(private readonly db: Database.Database) {
    this.ops = new SqliteAuditOps(db);
    this.meta = db.prepare<[string], Buffer>('SELECT value FROM meta WHERE name = ?').pluck();
  }

  listAuditRecords(query: AuditQuery, page: PageRequest): Promise<Page<StoredAuditRecord>> {
    return this.run(() => this.ops.list(query, page));
  }

  readAuditRange(fromSeq: number, toSeq: number, limit: number): Promise<StoredAuditRecord[]> {
    return this.run(() => this.ops.range(fromSeq, toSeq, limit));
  }

  listAuditCheckpoints(afterSeq: number, limit: number): Promise<StoredAuditCheckpoint[]> {
    return this.run(() => this.ops.checkpointsAfter(afterSeq, limit));
  }

  getAuditHead(): Promise<AuditHead> {
    return this.run(() => this.ops.head());
  }

  getMeta(name: string): Promise<Buffer | undefined> {
    return this.run(() => this.meta.get(name));
  }

  close(): void {
    this.db.close();
  }

  private run<T>(op: () => T): Promise<T> {
    return new Promise((resolve) => {
      try {
        resolve(op());
      } catch (error) {
        throw toStoreError(error);
      }
    });
  }
}
