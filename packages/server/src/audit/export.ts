import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import { AUDIT_PUBLIC_META } from './audit-keys.js';
import { auditKeyId, type AuditCheckpoint } from './checkpoint.js';
import { parseAuditCheckpoint, parseAuditRecord } from './parse.js';
import { storedAnchor, storedCheckpoints, storedRecords, type AuditSource } from './read.js';
import type { AuditRecord } from './record.js';
import { UnreadableRecordError, type VerifyResult, verifyAuditStream } from './verify.js';

// The export format (docs/formats.md, "Audit export"): JSON lines, each an
// object with one member naming what it holds. The first line is the header;
// an `anchor` line says where a pruned log starts; then `record` lines in seq
// order with each `checkpoint` line after the record it signs.

export const EXPORT_FORMAT = 'custos-audit-export';

export interface ExportHeader {
  readonly format: typeof EXPORT_FORMAT;
  readonly v: 1;
  /** The audit public key (Ed25519 SPKI DER, base64), for convenience only: verify with one you trust. */
  readonly publicKey: string | null;
  readonly keyId: string | null;
  readonly exportedAt: string;
}

const headerSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  v: z.literal(1),
  publicKey: z.base64().nullable(),
  keyId: z.string().nullable(),
  exportedAt: z.iso.datetime(),
});

export interface ExportRange {
  /** Last seq to write; default the whole log. */
  readonly toSeq?: number;
  readonly now?: Date;
}

/**
 * Writes the log `source` holds as JSON lines, honouring backpressure, and
 * returns how many records and checkpoints it wrote.
 *
 * @example
 * await writeAuditExport(openAuditFile(dbPath), createWriteStream('audit.jsonl'));
 */
export async function writeAuditExport(
  source: AuditSource,
  out: Writable,
  range: ExportRange = {},
): Promise<{ records: number; checkpoints: number }> {
  const toSeq = range.toSeq ?? Number.MAX_SAFE_INTEGER;
  const publicKey = await source.getMeta(AUDIT_PUBLIC_META);
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    v: 1,
    publicKey: publicKey?.toString('base64') ?? null,
    keyId: publicKey === undefined ? null : auditKeyId(publicKey),
    exportedAt: (range.now ?? new Date()).toISOString(),
  };
  await writeLine(out, { header });
  const anchor = await storedAnchor(source);
  if (anchor !== undefined) await writeLine(out, { anchor });
  const signed = (await storedCheckpoints(source)).filter((cp) => cp.seq <= toSeq);
  let next = 0;
  let records = 0;
  for await (const record of storedRecords(source, anchor === undefined ? 0 : anchor.seq + 1)) {
    if (record.seq > toSeq) break;
    await writeLine(out, { record });
    records += 1;
    while (next < signed.length && (signed[next]?.seq ?? Infinity) <= record.seq) {
      await writeLine(out, { checkpoint: signed[next] });
      next += 1;
    }
  }
  // Checkpoints past the last record are written too: they are what shows a cut tail.
  for (const checkpoint of signed.slice(next)) await writeLine(out, { checkpoint });
  return { records, checkpoints: signed.length };
}

async function writeLine(out: Writable, line: object): Promise<void> {
  if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
}

/** What the first pass over an export file finds besides its records. */
export interface ExportIndex {
  readonly header: ExportHeader;
  readonly anchor: AuditCheckpoint | undefined;
  readonly checkpoints: AuditCheckpoint[];
}

/**
 * Verifies an export file with a public key the caller trusts (not the one
 * in the file's header). Reads the file twice, records streamed, so a long
 * log never sits in memory.
 *
 * @example
 * const result = await verifyAuditExport('audit.jsonl', trustedPublicKeySpki);
 */
export async function verifyAuditExport(
  path: string,
  publicKeySpki: Uint8Array,
): Promise<VerifyResult & { readonly records: number }> {
  const index = await indexExport(path);
  let records = 0;
  const counted = async function* (): AsyncGenerator<AuditRecord> {
    for await (const record of exportRecords(path)) {
      records += 1;
      yield record;
    }
  };
  const result = await verifyAuditStream(
    counted(),
    index.checkpoints,
    publicKeySpki,
    index.anchor === undefined ? {} : { anchor: index.anchor },
  );
  return { ...result, records };
}

/** The header, anchor and checkpoints of an export file; InvalidInputError if it is not one. */
export async function indexExport(path: string): Promise<ExportIndex> {
  let header: ExportHeader | undefined;
  let anchor: AuditCheckpoint | undefined;
  const checkpoints: AuditCheckpoint[] = [];
  for await (const [n, line] of lines(path)) {
    const entry = parseLine(line);
    if (n === 1) {
      const parsed = headerSchema.safeParse(entry?.header);
      if (!parsed.success) throw new InvalidInputError('not a Custos audit export (no header)');
      header = parsed.data;
    } else if (entry?.checkpoint !== undefined) {
      checkpoints.push(parseAuditCheckpoint(entry.checkpoint));
    } else if (entry?.anchor !== undefined) {
      anchor = parseAuditCheckpoint(entry.anchor);
    }
  }
  if (header === undefined) throw new InvalidInputError('not a Custos audit export (empty)');
  return { header, anchor, checkpoints };
}

/** The records of an export file in file order; an unreadable one ends it as UnreadableRecordError. */
export async function* exportRecords(path: string): AsyncGenerator<AuditRecord> {
  for await (const [n, line] of lines(path)) {
    if (n === 1) continue;
    const entry = parseLine(line);
    if (entry === undefined) throw new UnreadableRecordError(`line ${n} is not JSON`);
    if (entry.record === undefined) continue;
    try {
      yield parseAuditRecord(entry.record);
    } catch {
      throw new UnreadableRecordError(`line ${n} is not a valid record`);
    }
  }
}

async function* lines(path: string): AsyncGenerator<[number, string]> {
  const reader = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  for await (const line of reader) {
    n += 1;
    if (line.trim() !== '') yield [n, line];
  }
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
