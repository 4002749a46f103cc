import { recordHash, type ChainHead } from './chain.js';
import { type AuditCheckpoint, verifyCheckpoint } from './checkpoint.js';
import { GENESIS_HASH, type AuditRecord } from './record.js';

export interface VerifyResult {
  readonly ok: boolean;
  /**
   * The last sequence number proven intact: covered by a valid signed
   * checkpoint (or the archive anchor) with every record before it in place.
   */
  readonly verifiedThrough: number;
  /** The first sequence number missing, altered, out of place or unprovable; null when ok. */
  readonly firstBadSeq: number | null;
  readonly reason: string | null;
  /**
   * Records after the last checkpoint: correctly chained, but nothing signed
   * covers them yet, so a tail cut off there would not show. Null when none.
   */
  readonly unverifiedTail: { readonly from: number; readonly to: number } | null;
}

export interface VerifyOptions {
  /** Where the log starts after pruning; without it the log must start at seq 1 from genesis. */
  readonly anchor?: AuditCheckpoint;
}

class ChainBroken extends Error {
  constructor(
    readonly seq: number,
    readonly why: string,
  ) {
    super(why);
  }
}

/**
 * Checks a log offline: each record's hash, each link to the record before,
 * gapless sequence numbers, every checkpoint's Ed25519 signature and that it
 * matches the record at its seq, and that no signed seq is missing (a cut
 * tail). Pure: the caller reads records and checkpoints from wherever.
 *
 * @example
 * const result = verifyAuditLog(records, checkpoints, publicKeySpki);
 * if (!result.ok) console.error(`first bad record: ${result.firstBadSeq} (${result.reason})`);
 */
export function verifyAuditLog(
  records: readonly AuditRecord[],
  checkpoints: readonly AuditCheckpoint[],
  publicKeySpki: Uint8Array,
  options: VerifyOptions = {},
): VerifyResult {
  const start = startOf(options.anchor, publicKeySpki);
  if ('broken' in start) return failed(start.broken, 0);
  const signed = new Map<number, AuditCheckpoint>();
  for (const cp of checkpoints) {
    if (cp.seq > start.seq) signed.set(cp.seq, cp);
  }
  let prev: ChainHead = start;
  let proven = start.seq;
  try {
    for (const record of records) {
      checkRecord(record, prev, proven);
      const cp = signed.get(record.seq);
      if (cp !== undefined) {
        checkSigned(cp, record, publicKeySpki, proven);
        proven = record.seq;
        signed.delete(record.seq);
      }
      prev = record;
    }
    const cut = Math.min(...signed.keys());
    if (Number.isFinite(cut)) {
      throw new ChainBroken(
        prev.seq + 1,
        `a checkpoint signs seq ${cut} but the log ends at ${prev.seq}: records were cut off`,
      );
    }
  } catch (error) {
    if (error instanceof ChainBroken) return failed(error, proven);
    throw error;
  }
  return {
    ok: true,
    verifiedThrough: proven,
    firstBadSeq: null,
    reason: null,
    unverifiedTail: prev.seq > proven ? { from: proven + 1, to: prev.seq } : null,
  };
}

function startOf(
  anchor: AuditCheckpoint | undefined,
  publicKeySpki: Uint8Array,
): ChainHead | { broken: ChainBroken } {
  if (anchor === undefined) return { seq: 0, hash: GENESIS_HASH };
  if (anchor.kind !== 'anchor' || !verifyCheckpoint(anchor, publicKeySpki)) {
    return { broken: new ChainBroken(anchor.seq + 1, 'the archive anchor is not validly signed') };
  }
  return { seq: anchor.seq, hash: anchor.hash };
}

function checkRecord(record: AuditRecord, prev: ChainHead, proven: number): void {
  const expected = prev.seq + 1;
  if (record.seq !== expected) {
    // A record missing (seq jumps ahead) or one inserted, repeated or moved (seq behind).
    const why =
      record.seq > expected
        ? `record ${expected} is missing (the next one is ${record.seq})`
        : `record ${record.seq} appears where ${expected} belongs (inserted or reordered)`;
    throw new ChainBroken(Math.max(Math.min(record.seq, expected), proven + 1), why);
  }
  const { hash, ...unhashed } = record;
  if (recordHash(unhashed) !== hash) {
    throw new ChainBroken(record.seq, `record ${record.seq} does not match its hash (altered)`);
  }
  if (record.prevHash !== prev.hash) {
    // This record is self-consistent and names the hash its predecessor had when it was
    // written, so the predecessor changed since, unless a checkpoint vouches for it.
    const culprit = prev.seq > proven ? prev.seq : record.seq;
    throw new ChainBroken(culprit, `record ${record.seq} does not link to record ${prev.seq}`);
  }
}

function checkSigned(
  cp: AuditCheckpoint,
  record: AuditRecord,
  publicKeySpki: Uint8Array,
  proven: number,
): void {
  if (cp.kind !== 'checkpoint' || !verifyCheckpoint(cp, publicKeySpki)) {
    throw new ChainBroken(cp.seq, `the checkpoint at seq ${cp.seq} is not validly signed`);
  }
  if (cp.hash !== record.hash) {
    throw new ChainBroken(
      proven + 1,
      `record ${record.seq} differs from its signed checkpoint: records after ${proven} were rewritten`,
    );
  }
}

function failed(error: ChainBroken, proven: number): VerifyResult {
  return {
    ok: false,
    verifiedThrough: Math.min(proven, error.seq - 1),
    firstBadSeq: error.seq,
    reason: error.why,
    unverifiedTail: null,
  };
}
