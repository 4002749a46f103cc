import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { UnavailableError } from '../../core/errors.js';
import type {
  AuditAppender,
  AuditAppendResult,
  StoredAuditCheckpoint,
  StoredAuditRecord,
} from '../audit-port.js';

// The worker's program. It is plain CommonJS handed to the Worker as text so
// that it runs the same from the TypeScript sources (tests) as from dist: it
// needs nothing of ours, only the SQLite driver, whose path is passed in.
// It appends rows that the main thread already chained (and the checkpoint it
// signed over them, if one was due), in one transaction per batch, after checking that the log's head is still the one they were
// chained onto: the main connection may have appended a record in between
// (a state change and its record commit together there), and then the batch
// is refused as stale and chained again.
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
const last = db.prepare('SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1');
const anchor = db.prepare("SELECT checkpoint FROM audit_checkpoints WHERE kind = 'anchor' ORDER BY seq DESC LIMIT 1").pluck();
const insert = db.prepare('INSERT INTO audit_records (seq, time, principal, key_id, operation, outcome, hash, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
const insertCheckpoint = db.prepare('INSERT INTO audit_checkpoints (kind, seq, time, checkpoint) VALUES (?, ?, ?, ?)');
function head() {
  const row = last.get();
  if (row !== undefined) return row;
  const text = anchor.get();
  if (text === undefined) return { seq: 0, hash: null };
  const parsed = JSON.parse(text);
  return { seq: parsed.seq, hash: parsed.hash };
}
parentPort.on('message', (message) => {
  if (message === 'close') { db.close(); parentPort.close(); return; }
  const { id, after, rows, checkpoint } = message;
  try {
    begin.run();
    try {
      const now = head();
      if (now.seq !== after.seq || (now.hash !== null && now.hash !== after.hash)) {
        rollback.run();
        parentPort.postMessage({ id, result: 'stale' });
        return;
      }
      for (const r of rows) insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
      if (checkpoint !== undefined) insertCheckpoint.run(checkpoint[0], checkpoint[1], checkpoint[2], checkpoint[3]);
      commit.run();
    } catch (error) {
      if (db.inTransaction) rollback.run();
      throw error;
    }
    parentPort.postMessage({ id, result: 'appended' });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.code) || 'failed') });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly result?: AuditAppendResult;
  readonly error?: string;
}

interface Pending {
  readonly resolve: (result: AuditAppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface SqliteAuditAppenderOptions {
  /** The database file the store uses. */
  readonly path: string;
  readonly busyTimeoutMs?: number;
}

/**
 * Appends audit batches on a worker thread with a connection of its own.
 * better-sqlite3 commits synchronously, so on the main thread every group
 * commit would stop the event loop for its inserts and its fsync; here the
 * main thread only chains the records (the single writer's job) and posts
 * them. SQLite's write lock orders this connection's transactions with the
 * main one's.
 *
 * @example
 * const appender = new SqliteAuditAppender({ path: join(dataDir, 'custos.db') });
 * const log = new StoreAuditLog({ store, keyring, appender });
 */
export class SqliteAuditAppender implements AuditAppender {
  #worker: Worker | undefined;
  #next = 1;
  readonly #pending = new Map<number, Pending>();

  constructor(private readonly options: SqliteAuditAppenderOptions) {}

  append(
    after: { readonly seq: number; readonly hash: string },
    rows: readonly StoredAuditRecord[],
    checkpoint?: StoredAuditCheckpoint,
  ): Promise<AuditAppendResult> {
    return new Promise((resolve, reject) => {
      const id = this.#next++;
      this.#pending.set(id, { resolve, reject });
      const message = {
        id,
        after,
        rows: rows.map((r) => [
          r.seq,
          r.time.getTime(),
          r.principal,
          r.keyId,
          r.operation,
          r.outcome,
          r.hash,
          r.json,
        ]),
        ...(checkpoint !== undefined && {
          checkpoint: [checkpoint.kind, checkpoint.seq, checkpoint.time.getTime(), checkpoint.json],
        }),
      };
      const worker = this.#start();
      // Referenced while it owes an answer: a caller waiting on it keeps the process alive.
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage(message);
    });
  }

  /** Lets the worker finish what it holds, then stops it. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#worker = undefined;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    // Waiting for its exit must keep the process alive until it comes.
    worker.ref();
    worker.postMessage('close');
    await exited;
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(PROGRAM, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        path: this.options.path,
        busyTimeoutMs: this.options.busyTimeoutMs ?? 5000,
      },
    });
    worker.on('message', (reply: Reply) => {
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      this.#pending.delete(reply.id);
      // An idle worker must not keep the process alive.
      if (this.#pending.size === 0) worker.unref();
      if (reply.result !== undefined) pending.resolve(reply.result);
      else
        pending.reject(
          new UnavailableError('the audit log could not be written', {
            details: { sqlite: reply.error ?? 'unknown' },
          }),
        );
    });
    worker.on('error', (error) => {
      this.#fail(error);
    });
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#fail(new UnavailableError('the audit writer stopped'));
    });
    this.#worker = worker;
    return worker;
  }

  #fail(error: unknown): void {
    for (const pending of this.#pending.values()) {
      pending.reject(new UnavailableError('the audit log could not be written', { cause: error }));
    }
    this.#pending.clear();
  }
}
