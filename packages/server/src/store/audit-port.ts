import type { Page, PageRequest } from './store.js';

// The audit log's part of the Store port. The store keeps records and
// checkpoints as opaque JSON with a few columns to filter on; hashing,
// signing and verifying belong to src/audit, which the store never imports.

/** A chained audit record as stored: its filter columns and the record's JSON. */
export interface StoredAuditRecord {
  readonly seq: number;
  readonly time: Date;
  readonly principal: string | null;
  readonly keyId: string | null;
  readonly operation: string;
  readonly outcome: string;
  readonly hash: string;
  /** The whole record, hash included, as JSON; the store does not look inside. */
  readonly json: string;
}

/** A signed checkpoint (`checkpoint`) or archive anchor (`anchor`), as JSON. */
export interface StoredAuditCheckpoint {
  readonly kind: 'checkpoint' | 'anchor';
  readonly seq: number;
  readonly time: Date;
  readonly json: string;
}

/** Where the log stands, read inside the transaction that appends to it. */
export interface AuditHead {
  /** The newest record; null when there is none (new, or everything pruned). */
  readonly last: { readonly seq: number; readonly hash: string } | null;
  /** The newest checkpoint (not anchor); null when none was signed yet. */
  readonly lastCheckpoint: { readonly seq: number; readonly time: Date } | null;
  /** The newest anchor; the log starts after it. Null when nothing was ever pruned. */
  readonly anchor: StoredAuditCheckpoint | null;
}

/** Filters for reading the log; all given filters must match. */
export interface AuditQuery {
  /** Records at or after this time. */
  readonly from?: Date;
  /** Records before this time. */
  readonly to?: Date;
  readonly principal?: string;
  readonly keyId?: string;
  readonly operation?: string;
  readonly outcome?: string;
  /**
   * Only records with a greater seq, oldest first (following the log); without
   * it, newest first.
   */
  readonly afterSeq?: number;
}

export interface AuditReader {
  /** Newest first, or oldest first after `afterSeq`; cursors are opaque. */
  listAuditRecords(query: AuditQuery, page: PageRequest): Promise<Page<StoredAuditRecord>>;
  /** Records with `fromSeq <= seq <= toSeq`, ascending, at most `limit`. */
  readAuditRange(fromSeq: number, toSeq: number, limit: number): Promise<StoredAuditRecord[]>;
  /** Checkpoints (not anchors) with `seq > afterSeq`, ascending, at most `limit`. */
  listAuditCheckpoints(afterSeq: number, limit: number): Promise<StoredAuditCheckpoint[]>;
  getAuditHead(): Promise<AuditHead>;
}

/** What an AuditAppender did with a batch. */
export type AuditAppendResult = 'appended' | 'stale';

/**
 * Appends chained records through a connection of its own (for SQLite, on a
 * worker thread, so that commits do not stop the event loop). The batch is
 * written only if the log's last record is still `after`; otherwise nothing
 * is written and the answer is `stale`: the caller chains it again. A
 * checkpoint given with the batch (signed over its last record) is written
 * in the same transaction.
 */
export interface AuditAppender {
  append(
    after: { readonly seq: number; readonly hash: string },
    rows: readonly StoredAuditRecord[],
    checkpoint?: StoredAuditCheckpoint,
  ): Promise<AuditAppendResult>;
  close(): Promise<void>;
}

/**
 * Appends to the log inside a store transaction. A PostgreSQL adapter takes
 * a row lock on the log's head in `getAuditHead` when called in a transaction
 * (`SELECT … FOR UPDATE`), so appends from several nodes serialise there.
 */
export interface AuditWriter {
  /** Records must continue the head; AlreadyExistsError if a seq is taken. */
  appendAudit(
    records: readonly StoredAuditRecord[],
    checkpoint?: StoredAuditCheckpoint,
  ): Promise<void>;
  /**
   * Stores `anchor` and removes the records and checkpoints it replaces
   * (seq <= anchor.seq) and older anchors; returns how many records went.
   */
  pruneAudit(anchor: StoredAuditCheckpoint): Promise<number>;
}
