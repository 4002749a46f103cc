import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_PRINCIPAL, type Principal } from '../../src/core/principal.js';
import { DevFileSeal } from '../../src/seal/dev-file-seal.js';
import { Keyring } from '../../src/seal/keyring.js';
import { ManualClock } from '../../src/service/clock.js';
import type { Kms, RequestContext } from '../../src/service/context.js';
import { createKms } from '../../src/service/kms.js';
import { initializeKms } from '../../src/service/seal-state.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

export interface KmsHarness {
  readonly kms: Kms;
  readonly ctx: RequestContext;
  readonly clock: ManualClock;
  readonly store: Store;
  readonly dir: string;
  /** A context for another principal (denied by default: least privilege). */
  as(principal: Principal): RequestContext;
  close(): Promise<void>;
}

/** An initialised, unsealed service on a fresh SQLite file with a manual clock. */
export async function makeKms(options: { cacheSize?: number } = {}): Promise<KmsHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'custos-test-'));
  const store = await openSqliteStore({ path: join(dir, 'custos.db') });
  const keyring = new Keyring(
    options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize },
  );
  const clock = new ManualClock();
  const kms = createKms({ store, keyring, clock });
  const seal = await DevFileSeal.create(join(dir, 'root.key'));
  await initializeKms(kms, seal);
  const ctx: RequestContext = { kms, principal: ROOT_PRINCIPAL, requestId: 'test' };
  return {
    kms,
    ctx,
    clock,
    store,
    dir,
    as: (principal) => ({ kms, principal, requestId: 'test' }),
    async close() {
      await store.close();
      keyring.seal();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Error assertion helper: awaits `promise` and returns the thrown error's code. */
export async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error) return String(error.code);
    throw error;
  }
  throw new Error('expected the operation to fail');
}
