/**
 * What `custos encrypt` and `custos decrypt` print once their bytes are out:
 * with `--json` and no `--out`, one JSON object carrying the bytes in base64;
 * otherwise the bytes go to stdout or the file, and a file gets a summary line.
 */
import { type CliIo, output } from '../command.js';
import { formatBytes } from '../output.js';
import { collect, writeOutput } from './files.js';

export interface CryptResult {
  format: 'ciphertext-v1' | 'envelope-v1';
  keyId: string;
  keyVersion: number;
}

export interface CryptReport {
  /** The JSON field that carries the bytes when they are printed inline. */
  readonly field: 'ciphertext' | 'plaintext';
  /** Plaintext output: files are created owner-only and inline copies are zeroed. */
  readonly secret: boolean;
  /** The human summary after a file was written. */
  readonly describe: (result: CryptResult, bytes: string, out: string) => string;
}

export async function reportCrypt(
  io: CliIo,
  values: { json: boolean; out?: string | undefined },
  result: CryptResult,
  bytes: AsyncIterable<Buffer>,
  report: CryptReport,
): Promise<void> {
  const out = values.out;
  if (values.json && out === undefined) {
    const collected = await collect(bytes);
    const body = {
      ...result,
      bytes: collected.length,
      [report.field]: collected.toString('base64'),
    };
    if (report.secret) collected.fill(0);
    output(io, true, body, () => '');
    return;
  }
  const written = await writeOutput(io, out, bytes, { secret: report.secret });
  if (out === undefined) return;
  output(io, values.json, { ...result, bytes: written, out }, () =>
    report.describe(result, formatBytes(written), out),
  );
}
