import type { AuditHead, StoredAuditCheckpoint, StoredAuditRecord } from '../store/audit-port.js';
import type { ChainHead, EncodedRecord } from './chain.js';
import type { AuditCheckpoint } from './checkpoint.js';
import { parseAuditCheckpoint, parseAuditRecord } from './parse.js';
import { GENESIS_HASH, type AuditRecord } from './record.js';
import { UnreadableRecordError } from './verify.js';

/**
 * A record as the store keeps it: filter columns beside the canonical text
 * its hash covers (the exact bytes hashed, so a reader can re-hash them).
 */
export function toStoredRecord({ record, text, time }: EncodedRecord): StoredAuditRecord {
  return {
    seq: record.seq,
    time,
    principal: record.principal,
    keyId: record.keyId,
    operation: record.operation,
    outcome: record.outcome,
    hash: record.hash,
    json: text,
  };
}

export function toStoredCheckpoint(checkpoint: AuditCheckpoint): StoredAuditCheckpoint {
  return {
    kind: checkpoint.kind,
    seq: checkpoint.seq,
    time: new Date(checkpoint.time),
    json: JSON.stringify(checkpoint),
  };
}

/**
 * The record a stored row holds. The filter columns are only an index: a row
 * whose columns disagree with its record was edited behind the log's back,
 * which UnreadableRecordError reports at that seq.
 */
export function fromStoredRecord(stored: StoredAuditRecord): AuditRecord {
  let record: AuditRecord;
  try {
    const unhashed: unknown = JSON.parse(stored.json);
    record = parseAuditRecord({ ...(unhashed as object), hash: stored.hash });
  } catch {
    throw new UnreadableRecordError(`the stored record at seq ${stored.seq} is not a valid record`);
  }
  const agrees =
    record.seq === stored.seq &&
    new Date(record.time).getTime() === stored.time.getTime() &&
    record.principal === stored.principal &&
    record.keyId === stored.keyId &&
    record.operation === stored.operation &&
    record.outcome === stored.outcome;
  if (!agrees) {
    throw new UnreadableRecordError(
      `the stored columns of seq ${stored.seq} disagree with its record`,
    );
  }
  return record;
}

export function fromStoredCheckpoint(stored: StoredAuditCheckpoint): AuditCheckpoint {
  return parseAuditCheckpoint(JSON.parse(stored.json));
}

/** Where the chain continues: after the last record, or the anchor, or from genesis. */
export function chainStart(head: AuditHead): ChainHead {
  if (head.last !== null) return head.last;
  if (head.anchor !== null) {
    const anchor = fromStoredCheckpoint(head.anchor);
    return { seq: anchor.seq, hash: anchor.hash };
  }
  return { seq: 0, hash: GENESIS_HASH };
}
