import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { StoreAuditLog } from './audit/audit-log.js';
import { writeAuditExport } from './audit/export.js';
import { verifyStoredLog } from './audit/read.js';
import { archiveAuditLog } from './audit/retention.js';
import { openAuditSink } from './audit/sink.js';
import type { VerifyResult } from './audit/verify.js';
import type { DataDirPaths } from './app-data-dir.js';
import type { Config } from './ops/config.js';
import type { Logger } from './ops/logger.js';
import type { Keyring } from './seal/keyring.js';
import type { Kms } from './service/context.js';
import { SqliteAuditAppender } from './store/sqlite/audit-append-worker.js';
import { openAuditFile } from './store/sqlite/audit-file.js';
import type { Store } from './store/store.js';

// The audit log's part of the composition root: the log the configuration
// asks for, retention, and the offline commands (`custos audit verify|export`
// load this module; they open the database read-only and need no seal).

/** `custos audit verify --file F --public-key K`. */
export { verifyAuditExport } from './audit/export.js';

/**
 * The audit log the configuration asks for (docs/audit.md). On SQLite, group
 * commits go through a worker thread with its own connection to `database`,
 * so that their fsyncs never stop the event loop.
 */
export function auditLogFor(
  store: Store,
  keyring: Keyring,
  config: Config,
  options: { readonly database: string; readonly logger?: Logger },
): StoreAuditLog {
  const { logger } = options;
  const onError = (error: unknown) => {
    logger?.error(
      { errorName: error instanceof Error ? error.name : 'unknown' },
      'audit background work failed (second sink or timed checkpoint)',
    );
  };
  const { audit } = config;
  return new StoreAuditLog({
    store,
    keyring,
    checkpointEvery: audit.checkpointEvery,
    checkpointIntervalMs: audit.checkpointIntervalMs,
    contextValues: audit.contextValues,
    onError,
    ...(audit.sink !== undefined && { sink: openAuditSink(audit.sink, onError) }),
    ...(store.kind === 'sqlite' && {
      appender: new SqliteAuditAppender({ path: options.database }),
    }),
  });
}

const RETENTION_EVERY_MS = 3_600_000;

/**
 * Runs retention (archive, then prune) at start and hourly when
 * `audit.retention` is configured; a sealed service is skipped until unsealed.
 */
export function startAuditRetention(
  kms: Kms,
  config: Config,
  paths: DataDirPaths,
  logger: Logger,
): { stop(): Promise<void> } {
  const retention = config.audit.retention;
  const log = kms.audit;
  if (retention === undefined || !(log instanceof StoreAuditLog)) {
    return { stop: () => Promise.resolve() };
  }
  const archiveDir = retention.archiveDir ?? join(paths.dir, 'audit-archive');
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      if (kms.keyring.sealed) return;
      const before = new Date(kms.clock.now().getTime() - retention.maxAgeDays * 86_400_000);
      try {
        const result = await archiveAuditLog(log, kms.store, { before, archiveDir });
        if (result.file !== null) logger.info({ ...result }, 'audit records archived and pruned');
      } catch (error) {
        logger.error(
          { errorName: error instanceof Error ? error.name : 'unknown' },
          'audit retention failed; nothing was pruned',
        );
      }
    });
  };
  run();
  const timer = setInterval(run, RETENTION_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * `custos audit verify --data-dir`: verifies the log in a data directory's
 * database, opened read-only (no unseal: the public key is in clear). An
 * auditor may pass the public key they trust instead of the stored one.
 */
export async function verifyDataDir(
  paths: DataDirPaths,
  publicKeySpki?: Uint8Array,
): Promise<VerifyResult> {
  const file = openAuditFile(paths.database);
  try {
    return await verifyStoredLog(file, publicKeySpki);
  } finally {
    file.close();
  }
}

/** `custos audit export`: the data directory's log as JSON lines to `out`. */
export async function exportDataDir(
  paths: DataDirPaths,
  out: Writable,
): Promise<{ records: number; checkpoints: number }> {
  const file = openAuditFile(paths.database);
  try {
    return await writeAuditExport(file, out);
  } finally {
    file.close();
  }
}

/** `custos audit export --out F`: as exportDataDir, into a new file. */
export async function exportDataDirToFile(
  paths: DataDirPaths,
  path: string,
): Promise<{ records: number; checkpoints: number }> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  const counts = await exportDataDir(paths, out);
  out.end();
  await finished(out);
  return counts;
}
