import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreAuditLog, type AuditLog, type AuditLogOptions } from '../../src/audit/audit-log.js';
import type { AuditRecord } from '../../src/audit/record.js';
import { storedRecords } from '../../src/audit/read.js';
import { ROOT_PRINCIPAL } from '../../src/core/principal.js';
import { DevFileSeal } from '../../src/seal/dev-file-seal.js';
import { Keyring } from '../../src/seal/keyring.js';
import { ManualClock } from '../../src/service/clock.js';
import type { Kms, RequestContext } from '../../src/service/context.js';
import { createKms } from '../../src/service/kms.js';
import { initializeKms } from '../../src/service/seal-state.js';
import { SqliteAuditAppender } from '../../src/store/sqlite/audit-append-worker.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export interface AuditHarness {
  readonly kms: Kms;
  readonly ctx: RequestContext;
  readonly store: SqliteStore;
  readonly keyring: Keyring;
  readonly log: StoreAuditLog;
  readonly clock: ManualClock;
  readonly dir: string;
  readonly dbPath: string;
  records(): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

export interface AuditHarnessOptions {
  readonly auditOptions?: Omit<AuditLogOptions, 'store' | 'keyring'>;
  /** Wraps the real log, e.g. to make it fail. */
  readonly wrap?: (log: StoreAuditLog) => AuditLog;
  /** Group commits through a worker thread (SqliteAuditAppender), as the server does. */
  readonly offThread?: boolean;
}

/** An initialised, unsealed service on a fresh SQLite file whose audit log tests can reach. */
export async function makeAuditedKms(options: AuditHarnessOptions = {}): Promise<AuditHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'custos-audit-'));
  const dbPath = join(dir, 'custos.db');
  const store = await openSqliteStore({ path: dbPath });
  const keyring = new Keyring();
  const clock = new ManualClock();
  const log = new StoreAuditLog({
    now: () => clock.now(),
    ...options.auditOptions,
    ...(options.offThread === true && { appender: new SqliteAuditAppender({ path: dbPath }) }),
    store,
    keyring,
  });
  const kms = createKms({ store, keyring, clock, audit: options.wrap?.(log) ?? log });
  await initializeKms(kms, await DevFileSeal.create(join(dir, 'root.key')));
  const ctx: RequestContext = {
    kms,
    principal: ROOT_PRINCIPAL,
    requestId: 'req-1',
    sourceAddress: '192.0.2.7',
    door: 'rest',
  };
  return {
    kms,
    ctx,
    store,
    keyring,
    log,
    clock,
    dir,
    dbPath,
    async records() {
      const all: AuditRecord[] = [];
      for await (const record of storedRecords(store)) all.push(record);
      return all;
    },
    async close() {
      await log.close();
      await store.close();
      keyring.seal();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
