import { isKmsError } from '../core/errors.js';
import type { AuditReader, StoredAuditCheckpoint } from '../store/audit-port.js';
import { AUDIT_PUBLIC_META } from './audit-keys.js';
import type { AuditCheckpoint } from './checkpoint.js';
import type { AuditRecord } from './record.js';
import { fromStoredCheckpoint, fromStoredRecord } from './stored.js';
import { type VerifyResult, verifyAuditStream } from './verify.js';

/** A store, or a database opened read-only, as far as reading the log goes. */
export interface AuditSource extends AuditReader {
  getMeta(name: string): Promise<Buffer | undefined>;
}

const PAGE = 1000;

/**
 * Every stored record from `fromSeq` on, oldest first, a page at a time so a
 * long log never sits in memory whole.
 *
 * @example
 * for await (const record of storedRecords(store)) out.write(JSON.stringify({ record }) + '\n');
 */
export async function* storedRecords(
  source: AuditReader,
  fromSeq = 0,
): AsyncGenerator<AuditRecord> {
  let next = fromSeq;
  for (;;) {
    const rows = await source.readAuditRange(next, Number.MAX_SAFE_INTEGER, PAGE);
    for (const row of rows) yield fromStoredRecord(row);
    const last = rows.at(-1);
    if (last === undefined || rows.length < PAGE) return;
    next = last.seq + 1;
  }
}

/** Every stored checkpoint (not anchors), oldest first. */
export async function storedCheckpoints(source: AuditReader): Promise<AuditCheckpoint[]> {
  const all: AuditCheckpoint[] = [];
  let after = -1;
  for (;;) {
    const rows = await source.listAuditCheckpoints(after, PAGE);
    all.push(...rows.map(checkpointOf));
    const last = rows.at(-1);
    if (last === undefined || rows.length < PAGE) return all;
    after = last.seq;
  }
}

/** The anchor the log starts after, if it was ever pruned. */
export async function storedAnchor(source: AuditReader): Promise<AuditCheckpoint | undefined> {
  const { anchor } = await source.getAuditHead();
  return anchor === null ? undefined : checkpointOf(anchor);
}

/**
 * Verifies the log a store (or a read-only database) holds, with the public
 * key stored beside it unless one is given — an auditor passes the key they
 * were handed, so that a replaced key in the database proves nothing.
 *
 * @example
 * const result = await verifyStoredLog(openAuditFile(dbPath));
 */
export async function verifyStoredLog(
  source: AuditSource,
  publicKeySpki?: Uint8Array,
): Promise<VerifyResult> {
  let checkpoints: AuditCheckpoint[];
  let anchor: AuditCheckpoint | undefined;
  try {
    checkpoints = await storedCheckpoints(source);
    anchor = await storedAnchor(source);
  } catch (error) {
    if (error instanceof UnreadableCheckpointError) return unreadable(error);
    throw error;
  }
  const key = publicKeySpki ?? (await source.getMeta(AUDIT_PUBLIC_META));
  if (key === undefined && (checkpoints.length > 0 || anchor !== undefined)) {
    const seq = anchor === undefined ? 1 : anchor.seq + 1;
    return bad(seq, 'the audit public key is missing');
  }
  return verifyAuditStream(
    storedRecords(source, anchor === undefined ? 0 : anchor.seq + 1),
    checkpoints,
    key ?? Buffer.alloc(0),
    anchor === undefined ? {} : { anchor },
  );
}

class UnreadableCheckpointError extends Error {
  constructor(readonly seq: number) {
    super(`the checkpoint stored at seq ${String(seq)} is not a valid checkpoint`);
  }
}

function checkpointOf(stored: StoredAuditCheckpoint): AuditCheckpoint {
  try {
    return fromStoredCheckpoint(stored);
  } catch (error) {
    if (isKmsError(error) || error instanceof SyntaxError) {
      throw new UnreadableCheckpointError(stored.seq);
    }
    throw error;
  }
}

function unreadable(error: UnreadableCheckpointError): VerifyResult {
  return bad(error.seq, `the checkpoint at seq ${String(error.seq)} is unreadable`);
}

function bad(seq: number, reason: string): VerifyResult {
  return {
    ok: false,
    verifiedThrough: 0,
    firstBadSeq: seq,
    reason,
    unverifiedTail: null,
  };
}
