/**
 * Binary-safe input and output for the data commands: a file or stdin in,
 * a file or stdout out, streamed. A file output is written beside its target
 * and renamed into place only on success, so a failed decrypt never leaves a
 * partial plaintext under the requested name.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CliError, type CliIo } from '../command.js';

export interface Input {
  readonly source: AsyncIterable<Buffer>;
  /** Known for files: lets the progress bar show a percentage. */
  readonly size?: number;
}

/** `--in F` (or `-`/absent for stdin), opened now so a missing file fails before any request. */
export async function openInput(io: CliIo, path: string | undefined): Promise<Input> {
  if (path === undefined || path === '-') return { source: io.stdin };
  try {
    const handle = await open(path, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      throw new CliError('INVALID_INPUT', `${path} is not a file`);
    }
    return { source: handle.createReadStream({ highWaterMark: 64 * 1024 }), size: stat.size };
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('INVALID_INPUT', `cannot read ${path}: ${errnoCode(error)}`);
  }
}

export interface OutputOptions {
  /** Plaintext: the file is created owner-only (0600). */
  readonly secret: boolean;
}

/**
 * Streams `source` to `--out F` (atomically) or to stdout; resolves to the
 * byte count. On failure the temporary file is removed and the error rethrown.
 *
 * @example
 * const bytes = await writeOutput(io, values.out, decryptEnvelope(input, options), { secret: true });
 */
export async function writeOutput(
  io: CliIo,
  path: string | undefined,
  source: AsyncIterable<Buffer>,
  options: OutputOptions,
): Promise<number> {
  let count = 0;
  const counted = async function* () {
    for await (const piece of source) {
      count += piece.length;
      yield piece;
    }
  };
  if (path === undefined || path === '-') {
    try {
      // stdout stays open: the process may still print to it, and it cannot be closed anyway.
      await pipeline(counted, io.stdout, { end: false });
    } catch (error) {
      // The reader went away (`custos decrypt | head`): say so, not "internal error".
      if (isErrno(error) && error.code === 'EPIPE') {
        throw new CliError('UNAVAILABLE', 'stdout was closed before all output was written');
      }
      throw error;
    }
    return count;
  }
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = createWriteStream(temporary, {
      flags: 'wx',
      mode: options.secret ? 0o600 : 0o666,
    });
    await pipeline(counted, file);
    await rename(temporary, path);
    return count;
  } catch (error) {
    await rm(temporary, { force: true });
    if (isErrno(error)) throw new CliError('INVALID_INPUT', `cannot write ${path}: ${error.code}`);
    throw error;
  }
}

/** One buffer as a stream (a v1 ciphertext or its plaintext), for writeOutput. */
export async function* once(buffer: Buffer): AsyncGenerator<Buffer> {
  await Promise.resolve();
  yield buffer;
}

/** Everything `source` yields, for `--json` output without `--out`. */
export async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of source) pieces.push(piece);
  return Buffer.concat(pieces);
}

/** A file system failure (it names a syscall), as opposed to a failure of the data itself. */
function isErrno(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  return (
    error instanceof Error &&
    'syscall' in error &&
    'code' in error &&
    typeof error.code === 'string'
  );
}

function errnoCode(error: unknown): string {
  return isErrno(error) ? error.code : 'error';
}
