import type Database from 'better-sqlite3';
import { InvalidInputError } from '../../core/errors.js';
import type {
  AuditHead,
  AuditQuery,
  StoredAuditCheckpoint,
  StoredAuditRecord,
} from '../audit-port.js';
import type { Page, PageRequest } from '../store.js';
import { decodeCursor, pageSize, toPage } from './pagination.js';
import {
  AUDIT_FILTERS,
  AuditListStatements,
  prepareAuditStatements,
  type AuditCheckpointRow,
  type AuditRecordRow,
  type AuditStatements,
} from './audit-statements.js';
import { insertError } from './sqlite-errors.js';

/**
 * The audit tables as plain synchronous calls on one connection; like
 * SqliteOps they know nothing of locking, SqliteStore decides when they run.
 */
export class SqliteAuditOps {
  private readonly sql: AuditStatements;
  private readonly lists: AuditListStatements;

  constructor(db: Database.Database) {
    this.sql = prepareAuditStatements(db);
    this.lists = new AuditListStatements(db);
  }

  list(query: AuditQuery, page: PageRequest): Page<StoredAuditRecord> {
    const size = pageSize(page.limit);
    const ascending = query.afterSeq !== undefined;
    const cursor = page.cursor === undefined ? undefined : cursorSeq(page.cursor);
    const start = ascending
      ? Math.max(query.afterSeq ?? 0, cursor ?? 0)
      : (cursor ?? Number.MAX_SAFE_INTEGER);
    const params: unknown[] = AUDIT_FILTERS.flatMap(([name]) => {
      const value = query[name];
      if (value === undefined) return [];
      return [value instanceof Date ? value.getTime() : value];
    });
    const rows = this.lists.get(query, ascending).all(...params, start, size + 1);
    return toPage(rows, size, toStoredRecord, (row) => String(row.seq));
  }

  range(fromSeq: number, toSeq: number, limit: number): StoredAuditRecord[] {
    return this.sql.range.all(fromSeq, toSeq, limit).map(toStoredRecord);
  }

  checkpointsAfter(afterSeq: number, limit: number): StoredAuditCheckpoint[] {
    return this.sql.checkpointsAfter.all(afterSeq, limit).map(toStoredCheckpoint);
  }

  head(): AuditHead {
    const last = this.sql.lastRecord.get();
    const checkpoint = this.sql.lastCheckpoint.get();
    const anchor = this.sql.lastAnchor.get();
    return {
      last: last === undefined ? null : { seq: last.seq, hash: last.hash },
      lastCheckpoint:
        checkpoint === undefined ? null : { seq: checkpoint.seq, time: new Date(checkpoint.time) },
      anchor: anchor === undefined ? null : toStoredCheckpoint(anchor),
    };
  }

  append(records: readonly StoredAuditRecord[], checkpoint?: StoredAuditCheckpoint): void {
    for (const record of records) {
      try {
        this.sql.insertRecord.run(
          record.seq,
          record.time.getTime(),
          record.principal,
          record.keyId,
          record.operation,
          record.outcome,
          record.hash,
          record.json,
        );
      } catch (error) {
        throw insertError(error, `audit record ${record.seq}`);
      }
    }
    if (checkpoint !== undefined) this.insertCheckpoint(checkpoint);
  }

  prune(anchor: StoredAuditCheckpoint): number {
    this.insertCheckpoint(anchor);
    this.sql.pruneCheckpoints.run(anchor.seq);
    this.sql.pruneAnchors.run(anchor.seq);
    return this.sql.pruneRecords.run(anchor.seq).changes;
  }

  private insertCheckpoint(checkpoint: StoredAuditCheckpoint): void {
    try {
      this.sql.insertCheckpoint.run({
        kind: checkpoint.kind,
        seq: checkpoint.seq,
        time: checkpoint.time.getTime(),
        checkpoint: checkpoint.json,
      });
    } catch (error) {
      throw insertError(error, `audit ${checkpoint.kind} at ${checkpoint.seq}`);
    }
  }
}

function cursorSeq(cursor: string): number {
  const seq = Number(decodeCursor(cursor));
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new InvalidInputError('the pagination cursor is invalid');
  }
  return seq;
}

function toStoredRecord(row: AuditRecordRow): StoredAuditRecord {
  return {
    seq: row.seq,
    time: new Date(row.time),
    principal: row.principal,
    keyId: row.key_id,
    operation: row.operation,
    outcome: row.outcome,
    hash: row.hash,
    json: row.record,
  };
}

function toStoredCheckpoint(row: AuditCheckpointRow): StoredAuditCheckpoint {
  return {
    kind: row.kind === 'anchor' ? 'anchor' : 'checkpoint',
    seq: row.seq,
    time: new Date(row.time),
    json: row.checkpoint,
  };
}
