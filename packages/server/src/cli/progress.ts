import type { Writable } from 'node:stream';
import type { CliIo } from './command.js';
import { formatBytes } from './output.js';

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

/** True when `stream` is a terminal: only then is a progress bar drawn on it. */
export function isTerminal(stream: Writable): boolean {
  return 'isTTY' in stream && stream.isTTY === true;
}

/**
 * Passes `source` through unchanged, drawing a progress bar on stderr when
 * stderr is a terminal (never when it is a file or pipe, so logs and scripts
 * see nothing). `total` gives a percentage when the input size is known.
 *
 * @example
 * const counted = withProgress(io, input, { label: 'encrypt', total: size });
 */
export function withProgress(
  io: CliIo,
  source: AsyncIterable<Buffer>,
  options: { readonly label: string; readonly total?: number | undefined },
): AsyncIterable<Buffer> {
  if (!isTerminal(io.stderr)) return source;
  return draw(io.stderr, source, options.label, options.total);
}

async function* draw(
  stderr: Writable,
  source: AsyncIterable<Buffer>,
  label: string,
  total: number | undefined,
): AsyncGenerator<Buffer> {
  const started = Date.now();
  let done = 0;
  let drawnAt = 0;
  try {
    for await (const piece of source) {
      done += piece.length;
      const now = Date.now();
      if (now - drawnAt >= REDRAW_MS) {
        drawnAt = now;
        stderr.write(`\r${line(label, done, total, now - started)}\x1b[K`);
      }
      yield piece;
    }
  } finally {
    // Clear the line, so what follows on the terminal starts clean.
    if (drawnAt !== 0) stderr.write('\r\x1b[K');
  }
}

/** One progress line, e.g. `encrypt [######------] 50% 2.5 MiB / 5.0 MiB 10.0 MiB/s`. */
export function line(label: string, done: number, total: number | undefined, elapsedMs: number) {
  const rate = elapsedMs > 0 ? `${formatBytes((done * 1000) / elapsedMs)}/s` : '';
  if (total === undefined || total <= 0) return `${label} ${formatBytes(done)} ${rate}`.trimEnd();
  const fraction = Math.min(1, done / total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  return `${label} [${bar}] ${percent} ${formatBytes(done)} / ${formatBytes(total)} ${rate}`.trimEnd();
}
