import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import { UnavailableError, isKmsError } from '../../core/errors.js';
import type { KeyState } from '../../core/key.js';
import type { PurgeCounts, Store, StoreWriter, TokenUse, VersionUsage } from '../store.js';
import { ConnectionLock } from './connection-lock.js';
import { migrate } from './migrations.js';
import { PurgeStatements } from './purge-expired.js';
import { toStoreError } from './sqlite-errors.js';
import { SqliteOps } from './sqlite-ops.js';
import { SqliteReader, guard } from './sqlite-reader.js';
import { SqliteTransaction } from './sqlite-transaction.js';

export interface SqliteStoreOptions {
  /** Database file, created if missing; `:memory:` for a throwaway store. */
  readonly path: string;
}

/** The connection settings in effect, for diagnostics and tests. */
export interface SqliteSettings {
  readonly journalMode: string;
  readonly synchronous: number;
  readonly foreignKeys: boolean;
  readonly busyTimeoutMs: number;
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating and migrating as needed) the embedded SQLite store.
 *
 * @example
 * const store = await openSqliteStore({ path: path.join(dataDir, 'custos.db') });
 * const key = await store.getKey(id);
 * await store.close();
 */
export function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return new Promise((resolve) => {
    resolve(open(options.path));
  });
}

function open(path: string): SqliteStore {
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new UnavailableError(`cannot open the SQLite database at ${path}`, { cause: error });
  }
  try {
    // WAL lets readers in other processes (backups, the CLI) proceed during a
    // write; FULL syncs the WAL on every commit, because a key the caller was
    // told exists must survive a power cut. Foreign keys are off by default.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(db);
    return new SqliteStore(db);
  } catch (error) {
    db.close();
    throw toStoreError(error);
  }
}

/**
 * The Store port on one better-sqlite3 connection. Statements are synchronous
 * but a transaction's callback awaits, so every call goes through one FIFO
 * lock: a transaction holds it from BEGIN IMMEDIATE to COMMIT or ROLLBACK,
 * and reads wait rather than see its uncommitted writes.
 */
export class SqliteStore extends SqliteReader implements Store {
  readonly kind = 'sqlite';
  private readonly lock = new ConnectionLock();
  // Tells a call made from inside a transaction callback (which would wait
  // for the lock its own transaction holds, forever) from any other call.
  private readonly current = new AsyncLocalStorage<SqliteTransaction>();
  private closed = false;
  private readonly purge: PurgeStatements;

  /** Use openSqliteStore, which configures and migrates `db` first. */
  constructor(private readonly db: Database.Database) {
    super(new SqliteOps(db));
    this.purge = new PurgeStatements(db);
  }

  protected run<T>(op: () => T): Promise<T> {
    return new Promise<T>((resolve) => {
      this.assertCallable();
      // A single statement cannot interleave with anything, so it only has
      // to wait when a transaction is in progress.
      if (!this.lock.isHeld) resolve(guard(op));
      else resolve(this.lock.acquire().then(() => this.runHeld(op)));
    });
  }

  private runHeld<T>(op: () => T): T {
    try {
      this.assertOpen();
      return guard(op);
    } finally {
      this.lock.release();
    }
  }

  async transaction<T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T> {
    this.assertCallable();
    await this.lock.acquire();
    try {
      this.assertOpen();
      guard(() => this.ops.sql.begin.run());
      const tx = new SqliteTransaction(this.ops);
      try {
        const result = await this.current.run(tx, fn, tx);
        guard(() => this.ops.sql.commit.run());
        return result;
      } catch (error) {
        this.rollback();
        throw error;
      } finally {
        tx.end();
        // An enabled AsyncLocalStorage makes Node 20 run async hooks for every
        // promise in the process (a few % of a warm encrypt request). The lock
        // admits one transaction at a time, so none is inside run() now; the
        // next transaction's run() enables it again.
        this.current.disable();
      }
    } finally {
      this.lock.release();
    }
  }

  private rollback(): void {
    // SQLite may have rolled back already (e.g. after SQLITE_FULL); the
    // caller's error is what matters, so a failing ROLLBACK is not reported.
    if (!this.db.inTransaction) return;
    try {
      this.ops.sql.rollback.run();
    } catch {
      /* the connection stays usable: SQLite ends the transaction either way */
    }
  }

  addVersionUsage(usage: readonly VersionUsage[]): Promise<void> {
    return this.run(() => {
      this.ops.addVersionUsage(usage);
    });
  }

  purgeExpired(before: Date, limit: number): Promise<PurgeCounts> {
    return this.run(() => this.purge.purge(before, limit));
  }

  recordTokenUse(uses: readonly TokenUse[]): Promise<void> {
    return this.run(() => {
      this.identity.recordTokenUse(uses);
    });
  }

  countKeysByState(): Promise<Partial<Record<KeyState, number>>> {
    return this.run(() => {
      // Prepared per call: it runs once per metrics scrape, and reads only the keys_state index.
      const rows = this.db
        .prepare<[], { state: KeyState; count: number }>(
          'SELECT state, COUNT(*) AS count FROM keys GROUP BY state',
        )
        .all();
      const counts: Partial<Record<KeyState, number>> = {};
      for (const row of rows) counts[row.state] = row.count;
      return counts;
    });
  }

  async ping(): Promise<void> {
    try {
      await this.run(() => this.ops.sql.ping.get());
    } catch (error) {
      if (error instanceof TypeError || (isKmsError(error) && error.code === 'UNAVAILABLE')) {
        throw error;
      }
      throw new UnavailableError('the SQLite store does not answer', { cause: error });
    }
  }

  /** `PRAGMA integrity_check`: `['ok']` for a sound database, else SQLite's findings. */
  integrityCheck(): Promise<string[]> {
    return this.run(() => this.db.prepare<[], string>('PRAGMA integrity_check').pluck().all());
  }

  settings(): Promise<SqliteSettings> {
    return this.run(() => ({
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
      foreignKeys: Number(this.db.pragma('foreign_keys', { simple: true })) === 1,
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
    }));
  }

  /** Waits for queued calls and any open transaction, then closes the connection. */
  async close(): Promise<void> {
    this.assertNotInTransaction();
    await this.lock.acquire();
    try {
      if (this.closed) return;
      this.closed = true;
      // Best effort: lets SQLite refresh planner statistics it found stale.
      try {
        this.db.pragma('optimize');
      } catch {
        /* closing matters more than statistics */
      }
      this.db.close();
    } finally {
      this.lock.release();
    }
  }

  private assertCallable(): void {
    this.assertNotInTransaction();
    this.assertOpen();
  }

  private assertNotInTransaction(): void {
    if (this.current.getStore()?.isActive === true) {
      throw new TypeError(
        'the store was called from inside its own transaction; use the transaction writer (and no nested transaction)',
      );
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new UnavailableError('the SQLite store is closed');
  }
}
