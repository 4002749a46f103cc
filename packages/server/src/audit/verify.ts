import { InvalidInputError } from '../core/errors.js';
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

/**
 * Thrown by a record source (database rows, export lines) for an entry it
 * cannot parse; the verifier reports it as the break where it occurs.
 */
export class UnreadableRecordError extends InvalidInputError {}

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
 * tail). Pure: the caller reads records and checkpoints from wherever;
 * `records` may be a lazy iterable, so a log need not fit in memory.
 *
 * @example
 * const result = verifyAuditLog(records, checkpoints, publicKeySpki);
 * if (!result.ok) console.error(`first bad record: ${result.firstBadSeq} (${result.reason})`);
 */
export function verifyAuditLog(
  records: Iterable<AuditRecord>,
  checkpoints: readonly AuditCheckpoint[],
  publicKeySpki: Uint8Array,
  options: VerifyOptions = {},
): VerifyResult {
  const verifier = new ChainVerifier(checkpoints, publicKeySpki, options);
  try {
    for (const record of records) if (!verifier.push(record)) break;
  } catch (error) {
    if (!(error instanceof UnreadableRecordError)) throw error;
    verifier.unreadable(error.message);
  }
  return verifier.result();
}

/** verifyAuditLog over records read asynchronously (from a store, a file). */
export async function verifyAuditStream(
  records: AsyncIterable<AuditRecord>,
  checkpoints: readonly AuditCheckpoint[],
  publicKeySpki: Uint8Array,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const verifier = new ChainVerifier(checkpoints, publicKeySpki, options);
  try {
    for await (const record of records) if (!verifier.push(record)) break;
  } catch (error) {
    if (!(error instanceof UnreadableRecordError)) throw error;
    verifier.unreadable(error.message);
  }
  return verifier.result();
}

/** The verification itself, fed one record at a time, oldest first. */
class ChainVerifier {
  readonly #publicKey: Uint8Array;
  readonly #signed = new Map<number, AuditCheckpoint>();
  #prev: ChainHead;
  #proven: number;
  #broken: ChainBroken | undefined;

  constructor(
    checkpoints: readonly AuditCheckpoint[],
    publicKeySpki: Uint8Array,
    options: VerifyOptions,
  ) {
    this.#publicKey = publicKeySpki;
    const start = startOf(options.anchor, publicKeySpki);
    this.#prev = 'broken' in start ? { seq: 0, hash: GENESIS_HASH } : start;
    this.#proven = this.#prev.seq;
    if ('broken' in start) this.#broken = start.broken;
    for (const cp of checkpoints) {
      if (cp.seq > this.#prev.seq) this.#signed.set(cp.seq, cp);
    }
  }

  /** False once the chain is broken: later records cannot change the verdict. */
  push(record: AuditRecord): boolean {
    if (this.#broken !== undefined) return false;
    try {
      checkRecord(record, this.#prev, this.#proven);
      const cp = this.#signed.get(record.seq);
      if (cp !== undefined) {
        checkSigned(cp, record, this.#publicKey, this.#proven);
        this.#proven = record.seq;
        this.#signed.delete(record.seq);
      }
      this.#prev = record;
      return true;
    } catch (error) {
      if (!(error instanceof ChainBroken)) throw error;
      this.#broken = error;
      return false;
    }
  }

  /** The source could not read the record after the last one pushed. */
  unreadable(reason: string): void {
    this.#broken ??= new ChainBroken(this.#prev.seq + 1, reason);
  }

  result(): VerifyResult {
    const cut = Math.min(...this.#signed.keys());
    if (this.#broken === undefined && Number.isFinite(cut)) {
      this.#broken = new ChainBroken(
        this.#prev.seq + 1,
        `a checkpoint signs seq ${cut} but the log ends at ${this.#prev.seq}: records were cut off`,
      );
    }
    if (this.#broken !== undefined) return failed(this.#broken, this.#proven);
    const last = this.#prev.seq;
    return {
      ok: true,
      verifiedThrough: this.#proven,
      firstBadSeq: null,
      reason: null,
      unverifiedTail: last > this.#proven ? { from: this.#proven + 1, to: last } : null,
    };
  }
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
