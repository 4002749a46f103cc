import {
  type KmsError,
  NotFoundError,
  SealedError,
  UnavailableError,
  isKmsError,
} from '../core/errors.js';
import type { Keyring } from '../seal/keyring.js';
import type { AuditAppender, AuditHead } from '../store/audit-port.js';
import type { Store, StoreWriter } from '../store/store.js';
import { AuditKeys, type AuditKeyBlobs } from './audit-keys.js';
import { chainEncoded, type ChainHead, type EncodedRecord } from './chain.js';
import type { AuditCheckpoint, CheckpointKind } from './checkpoint.js';
import { GroupCommit } from './group-commit.js';
import { OffThreadAppend } from './offthread-append.js';
import type { AuditEntry, AuditRecord } from './record.js';
import type { AuditSink } from './sink.js';
import { chainStart, fromStoredRecord, toStoredCheckpoint, toStoredRecord } from './stored.js';

/**
 * Where the service writes what it did. `append` is for requests that change
 * nothing (reads, cryptographic operations, refusals): it resolves once the
 * record is durable. `appendIn` is for state changes: the record is written
 * in the change's own transaction, so both commit or neither does.
 */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Resolves to what to run once `tx` has committed (copying to the second sink). */
  appendIn(tx: StoreWriter, entry: AuditEntry): Promise<AfterCommit>;
  /** Waits for queued records and signs a last checkpoint; call before closing the store. */
  close(): Promise<void>;
}

export type AfterCommit = () => void;

interface Written {
  readonly records: readonly AuditRecord[];
  readonly checkpoint: AuditCheckpoint | undefined;
}

export interface AuditLogOptions {
  readonly store: Store;
  readonly keyring: Keyring;
  /** Sign a checkpoint once this many records follow the last one; default 1000. */
  readonly checkpointEvery?: number;
  /** …or once this long has passed since the last one (and records follow it); default 60 s. */
  readonly checkpointIntervalMs?: number;
  /** Encryption-context values: HMAC-SHA256 (default) or, when configured, in clear. */
  readonly contextValues?: 'hmac-sha256' | 'clear';
  /** Optional second copy for log shippers. */
  readonly sink?: AuditSink;
  /** Most records one group commit writes; default 1024. */
  readonly maxBatch?: number;
  /** Failures of background work (timed checkpoints, the sink); never request failures. */
  readonly onError?: (error: unknown) => void;
  /** Checkpoint signing time; records carry the request's own time. */
  readonly now?: () => Date;
  /**
   * Stores group-committed batches through a connection of its own (SQLite:
   * a worker thread, see SqliteAuditAppender); closed with the log. Without
   * it batches are written in a transaction of `store`.
   */
  readonly appender?: AuditAppender;
}

/**
 * The hash-chained log on the Store port. It is the single writer of the
 * chain: every append reads the head inside a store transaction, so
 * sequence numbers stay gapless whichever path wrote last. On SQLite the
 * connection lock serialises those transactions; a PostgreSQL adapter locks
 * the head row (see AuditWriter), which makes several nodes one writer.
 *
 * @example
 * const audit = new StoreAuditLog({ store, keyring, sink: openAuditSink({ type: 'stdout' }) });
 * await audit.append(entry);
 * await audit.close();
 */
export class StoreAuditLog implements AuditLog {
  readonly #keys: AuditKeys;
  readonly #commit: GroupCommit<AuditEntry>;
  readonly #every: number;
  readonly #intervalMs: number;
  readonly #now: () => Date;
  readonly #offThread: OffThreadAppend | undefined;
  /** The newest checkpoint this log knows of, for batches written off-thread. */
  #signed: { seq: number; time: Date } | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: AuditLogOptions) {
    this.#keys = new AuditKeys(options.keyring);
    this.#every = options.checkpointEvery ?? 1000;
    this.#intervalMs = options.checkpointIntervalMs ?? 60_000;
    this.#now = options.now ?? (() => new Date());
    const { appender } = options;
    this.#offThread =
      appender === undefined
        ? undefined
        : new OffThreadAppend(options.store, appender, async (start, entries) => {
            const keys = await this.#currentKeys();
            const encoded = this.#chain(start, entries, keys);
            const last = encoded.at(-1)?.record;
            return { encoded, checkpoint: last && (await this.#offThreadCheckpoint(keys, last)) };
          });
    // A batch's error is mapped once here, for all its callers, so that
    // append() can hand out the group commit's promise as it is.
    this.#commit = new GroupCommit(async (entries) => {
      try {
        await this.#groupWrite(entries);
      } catch (error) {
        throw unavailable(error);
      }
    }, options.maxBatch ?? 1024);
  }

  /** Resolves when the record is durable; UnavailableError when it cannot be made so. */
  append(entry: AuditEntry): Promise<void> {
    this.#startTimer();
    return this.#commit.submit(entry);
  }

  async appendIn(tx: StoreWriter, entry: AuditEntry): Promise<AfterCommit> {
    this.#startTimer();
    let written: Written;
    try {
      written = await this.#write(tx, [entry], false);
    } catch (error) {
      throw unavailable(error);
    }
    return () => {
      this.#offThread?.invalidate();
      this.#committed(written);
    };
  }

  /** Signs a checkpoint now if records follow the last one (and the service is unsealed). */
  async checkpoint(): Promise<AuditCheckpoint | undefined> {
    const written = await this.#transaction((tx) => this.#write(tx, [], true));
    this.#committed(written);
    return written.checkpoint;
  }

  async #groupWrite(entries: readonly AuditEntry[]): Promise<void> {
    if (this.#offThread === undefined) {
      this.#committed(await this.#transaction((tx) => this.#write(tx, entries, false)));
      return;
    }
    const { encoded, checkpoint } = await this.#offThread.write(entries);
    this.#committed({ records: encoded.map((e) => e.record), checkpoint });
  }

  /**
   * The checkpoint an off-thread batch carries when one is due after its
   * last record: signed here, stored in the batch's own transaction, so the
   * main connection never commits (and fsyncs) on the event loop for it. A
   * checkpoint that cannot be signed (sealed meanwhile) leaves the batch to
   * go without one; the next batch signs it.
   */
  async #offThreadCheckpoint(
    keys: AuditKeyBlobs | undefined,
    last: AuditRecord,
  ): Promise<AuditCheckpoint | undefined> {
    if (keys === undefined) return undefined;
    this.#signed ??= (await this.options.store.getAuditHead()).lastCheckpoint ?? {
      seq: 0,
      time: new Date(0),
    };
    if (!this.#dueAfter(this.#signed, last.seq) || this.options.keyring.sealed) return undefined;
    try {
      return this.#keys.sign(keys, {
        kind: 'checkpoint',
        seq: last.seq,
        hash: last.hash,
        time: this.#now().toISOString(),
      });
    } catch (error) {
      this.options.onError?.(error);
      return undefined;
    }
  }

  /** The audit keys, created (in a transaction of their own) by the first write after unsealing. */
  async #currentKeys(): Promise<AuditKeyBlobs | undefined> {
    const { store, keyring } = this.options;
    const stored = this.#keys.cached ?? (await this.#keys.read(store));
    if (stored !== undefined || keyring.sealed) return stored;
    return store.transaction((tx) => this.#keys.forWrite(tx));
  }

  /**
   * Signs a checkpoint or an anchor for a record already in the log (retention
   * closes an archive with both). SealedError while sealed.
   */
  async signAt(kind: CheckpointKind, seq: number): Promise<AuditCheckpoint> {
    const { store, keyring } = this.options;
    if (keyring.sealed) throw new SealedError('the audit key is sealed');
    const keys = await this.#keys.read(store);
    const [row] = await store.readAuditRange(seq, seq, 1);
    if (keys === undefined || row === undefined) {
      throw new NotFoundError(`the audit log has no record ${String(seq)}`);
    }
    const { hash } = fromStoredRecord(row);
    return this.#keys.sign(keys, { kind, seq, hash, time: this.#now().toISOString() });
  }

  /** The public key checkpoints verify with (Ed25519 SPKI DER); undefined before the first unsealed write. */
  async publicKey(): Promise<Buffer | undefined> {
    return (await this.#keys.read(this.options.store))?.publicKey;
  }

  /** Waits for queued records, signs a last checkpoint and stops the timer; the store stays open. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#commit.drained();
    await this.options.appender?.close();
    if (!this.options.keyring.sealed) await this.checkpoint();
    await this.options.sink?.close();
  }

  #transaction<T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T> {
    return this.options.store.transaction(fn);
  }

  async #write(
    tx: StoreWriter,
    entries: readonly AuditEntry[],
    forceCheckpoint: boolean,
  ): Promise<Written> {
    const head = await tx.getAuditHead();
    const start = chainStart(head);
    const keys = await this.#keys.forWrite(tx);
    const encoded = this.#chain(start, entries, keys);
    const records = encoded.map((e) => e.record);
    const last = records.at(-1) ?? start;
    const checkpoint =
      keys !== undefined && this.#checkpointDue(head, last.seq, forceCheckpoint)
        ? this.#keys.sign(keys, {
            kind: 'checkpoint',
            seq: last.seq,
            hash: last.hash,
            time: this.#now().toISOString(),
          })
        : undefined;
    if (records.length > 0 || checkpoint !== undefined) {
      await tx.appendAudit(
        encoded.map(toStoredRecord),
        checkpoint === undefined ? undefined : toStoredCheckpoint(checkpoint),
      );
    }
    return { records, checkpoint };
  }

  #chain(
    start: ChainHead,
    entries: readonly AuditEntry[],
    keys: AuditKeyBlobs | undefined,
  ): EncodedRecord[] {
    if (entries.length === 0) return [];
    const mode = this.options.contextValues ?? 'hmac-sha256';
    const hasContext = entries.some((e) => e.decisions.some((d) => d.context !== null));
    // Without values to hash the HMAC key stays wrapped.
    if (mode === 'clear' || !hasContext) return chainEncoded(start, entries, { mode });
    if (keys === undefined || this.options.keyring.sealed) {
      return chainEncoded(start, entries, { mode: 'withheld' });
    }
    return this.#keys.withHmacKey(keys, (key) => chainEncoded(start, entries, { mode, key }));
  }

  #checkpointDue(head: AuditHead, lastSeq: number, force: boolean): boolean {
    if (this.options.keyring.sealed) return false;
    const signedSeq = head.lastCheckpoint?.seq ?? 0;
    if (lastSeq <= signedSeq || lastSeq <= (head.anchor?.seq ?? 0)) return false;
    return force || this.#dueAfter(head.lastCheckpoint, lastSeq);
  }

  /**
   * The one rule for both writers: a checkpoint is due once `checkpointEvery`
   * records follow the last one signed, or `checkpointIntervalMs` has passed since.
   */
  #dueAfter(
    signed: { readonly seq: number; readonly time: Date } | null,
    lastSeq: number,
  ): boolean {
    if (lastSeq - (signed?.seq ?? 0) >= this.#every) return true;
    return this.#now().getTime() - (signed?.time.getTime() ?? 0) >= this.#intervalMs;
  }

  /** After a write committed: note what it signed; make the second copy (it mirrors commits only). */
  #committed(written: Written): void {
    const { checkpoint } = written;
    if (checkpoint !== undefined) {
      this.#signed = { seq: checkpoint.seq, time: new Date(checkpoint.time) };
    }
    const sink = this.options.sink;
    if (sink === undefined) return;
    if (written.records.length === 0 && written.checkpoint === undefined) return;
    try {
      sink.write(written.records, written.checkpoint);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  #startTimer(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      this.checkpoint().catch((error: unknown) => this.options.onError?.(error));
    }, this.#intervalMs);
    this.#timer.unref();
  }
}

function unavailable(error: unknown): KmsError {
  if (isKmsError(error) && error.code === 'UNAVAILABLE') return error;
  return new UnavailableError('the audit record could not be made durable', { cause: error });
}
