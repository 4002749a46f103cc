import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { AuditCheckpoint } from './checkpoint.js';
import type { AuditRecord } from './record.js';

/** `audit.sink` in the configuration. */
export type AuditSinkConfig =
  { readonly type: 'file'; readonly path: string } | { readonly type: 'stdout' };

/**
 * A second copy of the log for shippers, as JSON lines: `{"record":{…}}` and
 * `{"checkpoint":{…}}`, the same lines `custos audit export` writes (so a
 * complete copy verifies too). Written after the durable write, best effort:
 * it never delays or fails a request; a line it cannot take is counted.
 */
export class AuditSink {
  #dropped = 0;
  #failed = false;

  /** Buffered bytes beyond which lines are dropped rather than queued without bound. */
  static readonly MAX_BUFFERED = 16 * 1024 * 1024;

  constructor(
    private readonly stream: Writable,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly ownsStream = true,
  ) {
    stream.on('error', (error) => {
      this.#failed = true;
      this.onError(error);
    });
  }

  /** Lines that were not written (stream failed or full). */
  get dropped(): number {
    return this.#dropped;
  }

  write(records: readonly AuditRecord[], checkpoint?: AuditCheckpoint): void {
    const lines = records.map((record) => JSON.stringify({ record }));
    if (checkpoint !== undefined) lines.push(JSON.stringify({ checkpoint }));
    if (this.#failed || this.stream.writableLength > AuditSink.MAX_BUFFERED) {
      this.#dropped += lines.length;
      return;
    }
    this.stream.write(`${lines.join('\n')}\n`);
  }

  /** Flushes and closes a file sink; leaves stdout open. */
  close(): Promise<void> {
    if (!this.ownsStream || this.#failed) return Promise.resolve();
    return new Promise((resolve) => this.stream.end(resolve));
  }
}

/**
 * The sink a configuration names. A file is opened for appending, created 0600.
 *
 * @example
 * const sink = openAuditSink({ type: 'file', path: '/var/log/custos/audit.jsonl' }, log.error);
 */
export function openAuditSink(
  config: AuditSinkConfig,
  onError?: (error: unknown) => void,
): AuditSink {
  if (config.type === 'stdout') return new AuditSink(process.stdout, onError, false);
  return new AuditSink(createWriteStream(config.path, { flags: 'a', mode: 0o600 }), onError);
}
