import type Database from 'better-sqlite3';
import type { AuditQuery } from '../audit-port.js';

type Stmt<P extends unknown[] | object, R = unknown> = Database.Statement<P, R>;

export interface AuditRecordRow {
  readonly seq: number;
  readonly time: number;
  readonly principal: string | null;
  readonly key_id: string | null;
  readonly operation: string;
  readonly outcome: string;
  readonly hash: string;
  readonly record: string;
}

export interface AuditCheckpointRow {
  readonly kind: string;
  readonly seq: number;
  readonly time: number;
  readonly checkpoint: string;
}

export type AuditRecordParams = [
  seq: number,
  time: number,
  principal: string | null,
  keyId: string | null,
  operation: string,
  outcome: string,
  hash: string,
  record: string,
];

/** The audit tables' fixed statements (migration 3), prepared once per connection. */
export interface AuditStatements {
  /** Positional (the order of RECORD_COLUMNS): binding an array is cheaper than named parameters. */
  readonly insertRecord: Stmt<AuditRecordParams>;
  readonly insertCheckpoint: Stmt<AuditCheckpointRow>;
  readonly lastRecord: Stmt<[], { seq: number; hash: string }>;
  readonly lastCheckpoint: Stmt<[], { seq: number; time: number }>;
  readonly lastAnchor: Stmt<[], AuditCheckpointRow>;
  readonly range: Stmt<[number, number, number], AuditRecordRow>;
  readonly checkpointsAfter: Stmt<[number, number], AuditCheckpointRow>;
  readonly pruneRecords: Stmt<[number]>;
  readonly pruneCheckpoints: Stmt<[number]>;
  readonly pruneAnchors: Stmt<[number]>;
}

const RECORD_COLUMNS = 'seq, time, principal, key_id, operation, outcome, hash, record';
const CHECKPOINT_COLUMNS = 'kind, seq, time, checkpoint';

export function prepareAuditStatements(db: Database.Database): AuditStatements {
  return {
    insertRecord: db.prepare(
      `INSERT INTO audit_records (${RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertCheckpoint: db.prepare(
      `INSERT INTO audit_checkpoints (${CHECKPOINT_COLUMNS}) VALUES (@kind, @seq, @time, @checkpoint)`,
    ),
    lastRecord: db.prepare('SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1'),
    lastCheckpoint: db.prepare(
      "SELECT seq, time FROM audit_checkpoints WHERE kind = 'checkpoint' ORDER BY seq DESC LIMIT 1",
    ),
    lastAnchor: db.prepare(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE kind = 'anchor'
       ORDER BY seq DESC LIMIT 1`,
    ),
    range: db.prepare(
      `SELECT ${RECORD_COLUMNS} FROM audit_records WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`,
    ),
    checkpointsAfter: db.prepare(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE kind = 'checkpoint' AND seq > ?
       ORDER BY seq LIMIT ?`,
    ),
    pruneRecords: db.prepare('DELETE FROM audit_records WHERE seq <= ?'),
    pruneCheckpoints: db.prepare(
      "DELETE FROM audit_checkpoints WHERE kind = 'checkpoint' AND seq <= ?",
    ),
    pruneAnchors: db.prepare("DELETE FROM audit_checkpoints WHERE kind = 'anchor' AND seq < ?"),
  };
}

/**
 * listAuditRecords statements, one per combination of filters, prepared on
 * first use. Parameters bind in the order of AUDIT_FILTERS, then the cursor
 * (or afterSeq), then the limit.
 */
export class AuditListStatements {
  private readonly cache = new Map<string, Stmt<unknown[], AuditRecordRow>>();

  constructor(private readonly db: Database.Database) {}

  get(query: AuditQuery, ascending: boolean): Stmt<unknown[], AuditRecordRow> {
    const given = AUDIT_FILTERS.filter(([name]) => query[name] !== undefined);
    const shape = `${ascending ? 'a' : 'd'}:${given.map(([name]) => name).join(',')}`;
    let statement = this.cache.get(shape);
    if (statement === undefined) {
      const where = [...given.map(([, sql]) => sql), ascending ? 'seq > ?' : 'seq < ?'];
      statement = this.db.prepare<unknown[], AuditRecordRow>(
        `SELECT ${RECORD_COLUMNS} FROM audit_records WHERE ${where.join(' AND ')}
         ORDER BY seq ${ascending ? 'ASC' : 'DESC'} LIMIT ?`,
      );
      this.cache.set(shape, statement);
    }
    return statement;
  }
}

/** Each filter of AuditQuery with its condition; `afterSeq` is the ordering, not listed. */
export const AUDIT_FILTERS = [
  ['from', 'time >= ?'],
  ['to', 'time < ?'],
  ['principal', 'principal = ?'],
  ['keyId', 'key_id = ?'],
  ['operation', 'operation = ?'],
  ['outcome', 'outcome = ?'],
] as const satisfies readonly (readonly [Exclude<keyof AuditQuery, 'afterSeq'>, string])[];
