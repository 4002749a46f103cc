import { UnavailableError } from '../core/errors.js';
import type { AuditAppender } from '../store/audit-port.js';
import type { StoreReader } from '../store/store.js';
import type { ChainHead, EncodedRecord } from './chain.js';
import type { AuditCheckpoint } from './checkpoint.js';
import type { AuditEntry } from './record.js';
import { chainStart, toStoredCheckpoint, toStoredRecord } from './stored.js';

/** More attempts than this means something else keeps appending: give up (Unavailable). */
const MAX_ATTEMPTS = 5;

/** A batch chained for the appender, with the checkpoint signed over it when one is due. */
export interface ChainedBatch {
  readonly encoded: EncodedRecord[];
  readonly checkpoint?: AuditCheckpoint | undefined;
}

/**
 * Group commit through an AuditAppender: the records are chained here, on
 * the head this writer last appended, and stored there, with the checkpoint
 * that covers them when one is due (no commit of its own on this thread).
 * When another path appended in between (a state change writes its record
 * in its own transaction), the appender answers `stale`, nothing was
 * written, and the batch is chained (and signed) again on the head read back
 * from the store.
 */
export class OffThreadAppend {
  #head: ChainHead | undefined;

  constructor(
    private readonly store: StoreReader,
    private readonly appender: AuditAppender,
    private readonly chain: (
      start: ChainHead,
      entries: readonly AuditEntry[],
    ) => Promise<ChainedBatch>,
  ) {}

  /** Forget the head: someone else appended. */
  invalidate(): void {
    this.#head = undefined;
  }

  async write(entries: readonly AuditEntry[]): Promise<ChainedBatch> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const start = this.#head ?? chainStart(await this.store.getAuditHead());
      const batch = await this.chain(start, entries);
      const { encoded, checkpoint } = batch;
      const stored = checkpoint === undefined ? undefined : toStoredCheckpoint(checkpoint);
      let result;
      try {
        result = await this.appender.append(start, encoded.map(toStoredRecord), stored);
      } catch (error) {
        this.#head = undefined;
        throw error;
      }
      if (result === 'appended') {
        const last = encoded.at(-1)?.record ?? start;
        this.#head = { seq: last.seq, hash: last.hash };
        return batch;
      }
      this.#head = undefined;
    }
    throw new UnavailableError('the audit log head kept moving under its writer');
  }
}
