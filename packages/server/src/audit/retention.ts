import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { InternalError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { StoreAuditLog } from './audit-log.js';
import { verifyAuditExport, writeAuditExport } from './export.js';
import { storedAnchor } from './read.js';
import { toStoredCheckpoint } from './stored.js';

export interface ArchiveOptions {
  /** Records older than this are archived and pruned. */
  readonly before: Date;
  /** Created 0700 if missing; archives are written 0600. */
  readonly archiveDir: string;
}

export interface ArchiveResult {
  /** Records pruned from the store (0 when there was nothing old enough). */
  readonly archived: number;
  /** The archive written, e.g. `<archiveDir>/audit-00000000000000000001-00000000000000004711.jsonl`. */
  readonly file: string | null;
  /** The last archived seq; the log now starts after it. */
  readonly throughSeq: number | null;
}

/**
 * Retention: writes the records older than `before` (through the newest such
 * record, S) to an export file that a checkpoint at S signs, checks that the
 * file verifies, and only then prunes them, leaving a signed anchor at S
 * where the log now starts. The archive plus the remaining log verify as one
 * chain: the archive ends at S's hash, the log's next record links to it.
 *
 * @example
 * await archiveAuditLog(log, store, { before: daysAgo(365), archiveDir: '/var/lib/custos/audit-archive' });
 */
export async function archiveAuditLog(
  log: StoreAuditLog,
  store: Store,
  options: ArchiveOptions,
): Promise<ArchiveResult> {
  const none: ArchiveResult = { archived: 0, file: null, throughSeq: null };
  const [newest] = (await store.listAuditRecords({ to: options.before }, { limit: 1 })).items;
  const start = ((await storedAnchor(store))?.seq ?? 0) + 1;
  if (newest === undefined || newest.seq < start) return none;
  const through = newest.seq;
  const [signed] = await store.listAuditCheckpoints(through - 1, 1);
  if (signed?.seq !== through) {
    const checkpoint = toStoredCheckpoint(await log.signAt('checkpoint', through));
    await store.transaction((tx) => tx.appendAudit([], checkpoint));
  }
  const anchor = await log.signAt('anchor', through);
  const file = join(options.archiveDir, `audit-${seqName(start)}-${seqName(through)}.jsonl`);
  await writeDurably(file, (out) => writeAuditExport(store, out, { toSeq: through }));
  const publicKey = await log.publicKey();
  const check = publicKey === undefined ? undefined : await verifyAuditExport(file, publicKey);
  if (check?.ok !== true || check.verifiedThrough !== through) {
    throw new InternalError('the audit archive did not verify; nothing was pruned', {
      details: { file, firstBadSeq: check?.firstBadSeq ?? 0 },
    });
  }
  const archived = await store.transaction((tx) => tx.pruneAudit(toStoredCheckpoint(anchor)));
  return { archived, file, throughSeq: through };
}

/** Zero-padded so archives sort by name in seq order. */
function seqName(seq: number): string {
  return String(seq).padStart(20, '0');
}

/** Writes to `<file>.partial`, fsyncs, then renames: a crash never leaves a half archive named as whole. */
async function writeDurably(
  file: string,
  write: (out: Writable) => Promise<unknown>,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.partial`;
  try {
    const out = createWriteStream(partial, { mode: 0o600 });
    await write(out);
    out.end();
    await finished(out);
    // fsync through a second descriptor: it flushes the file, whichever descriptor wrote it.
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  await rename(partial, file);
}
