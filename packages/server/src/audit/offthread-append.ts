import { UnavailableError } from '../core/errors.js';
import type { AuditAppender } from '../store/audit-port.js';
import type { StoreReader } from '../store/store.js';
import type { ChainHead, EncodedRecord } from './chain.js';
import type { AuditEntry } from './record.js';
import { chainStart, toStoredRecord } from './stored.js';

/** More attempts than this means something else keeps appending: give up (Unavailable). */
const MAX_ATTEMPTS = 5;

/**
 * Group commit through an AuditAppender: the records are chained here, on
 * the head this writer last appended, and stored there. When another path
 * appended in between (a state change writes its record in its own
 * transaction), the appender answers `stale`, nothing was written, and the
 * batch is chained again on the head read back from the store.
 */
export class OffThreadAppend {
  #head: ChainHead | undefined;

  constructor(
    private readonly store: StoreReader,
    private readonly appender: AuditAppender,
    private readonly chain: (
      start: ChainHead,
      entries: readonly AuditEntry[],
    ) => Promise<EncodedRecord[]>,
  ) {}

  /** Forget the head: someone else appended. */
  invalidate(): void {
    this.#head = undefined;
  }

  async write(entries: readonly AuditEntry[]): Promise<EncodedRecord[]> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const start = this.#head ?? chainStart(await this.store.getAuditHead());
      const encoded = await this.chain(start, entries);
      let result;
      try {
        result = await this.appender.append(start, encoded.map(toStoredRecord));
      } catch (error) {
        this.#head = undefined;
        throw error;
      }
      if (result === 'appended') {
        const last = encoded.at(-1)?.record ?? start;
        this.#head = { seq: last.seq, hash: last.hash };
        return encoded;
      }
      this.#head = undefined;
    }
    throw new UnavailableError('the audit log head kept moving under its writer');
  }
}
