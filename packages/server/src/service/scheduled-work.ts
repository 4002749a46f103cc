import { ROOT_PRINCIPAL } from '../core/principal.js';
import type { DueKind } from '../store/store.js';
import { audited } from './audited.js';
import type { Kms, RequestContext } from './context.js';
import { destroyKey, eraseImportedMaterial } from './destroy-key.js';
import type { LoadedKey } from './key-cache.js';
import { loadKey } from './key-loader.js';
import { rotateLoadedKey } from './rotate-key.js';

export interface DueWorkResult {
  readonly rotated: number;
  readonly destroyed: number;
  readonly expired: number;
  /** Keys whose work failed this round (they are retried next round). */
  readonly failed: number;
  /** Tokens deleted a grace period after they expired or were revoked. */
  readonly purgedTokens: number;
  /** Import parameters (import tokens) deleted a grace period after they expired. */
  readonly purgedImportTokens: number;
}

const BATCH = 100;

export interface DueWorkOptions {
  /**
   * How long expired tokens and import parameters are kept before they are
   * deleted (default a day): meanwhile an import with expired parameters is
   * still told EXPIRED_IMPORT_TOKEN rather than INVALID_IMPORT_TOKEN, and
   * listing tokens still shows what expired lately.
   */
  readonly purgeExpiredAfterMs?: number;
}

export const DEFAULT_PURGE_EXPIRED_AFTER_MS = 24 * 3_600_000;
const PURGE_BATCH = 1000;
/** At most this many batches per round, so one round never holds the store for long. */
const PURGE_ROUNDS = 10;

/**
 * Does what is due at the kms clock's now: automatic rotations, deletions
 * whose waiting period has ended, imported material past its expiry, and the
 * purge of expired tokens and import parameters. Safe to run on several
 * nodes: optimistic writes make a duplicate attempt a Conflict, and a purge
 * deletes only what is already gone from use.
 */
export async function runDueWork(kms: Kms, options: DueWorkOptions = {}): Promise<DueWorkResult> {
  const purge = () =>
    purgeExpired(kms, options.purgeExpiredAfterMs ?? DEFAULT_PURGE_EXPIRED_AFTER_MS);
  const ctx: RequestContext = {
    kms,
    principal: ROOT_PRINCIPAL,
    requestId: 'scheduler',
    door: 'scheduler',
  };
  const counts = { rotated: 0, destroyed: 0, expired: 0, failed: 0 };
  // Credentials need no key material: they are purged while sealed too.
  if (kms.keyring.sealed) return { ...counts, ...(await purge()) };
  // Each job is audited like a request: its record commits with its change.
  const jobs: [DueKind, keyof typeof counts, (l: LoadedKey) => Promise<unknown>][] = [
    ['deletion', 'destroyed', (l) => scheduledDestroy(ctx, l)],
    ['material-expiry', 'expired', (l) => scheduledExpiry(ctx, l)],
    ['rotation', 'rotated', (l) => scheduledRotation(ctx, l)],
  ];
  for (const [kind, counter, job] of jobs) {
    const due = await kms.store.listDueKeys(kind, kms.clock.now(), BATCH);
    for (const key of due) {
      try {
        const loaded = await loadKey(ctx, key.id);
        if (!stillDue(kind, loaded, kms.clock.now())) continue;
        await job(loaded);
        counts[counter] += 1;
      } catch {
        counts.failed += 1;
      }
    }
  }
  for (const keyId of await kms.usage.flush(kms.store)) kms.cache.invalidate(keyId);
  return { ...counts, ...(await purge()) };
}

/**
 * Housekeeping, not a state change anyone could observe: an expired token
 * authenticates no one and expired import parameters import nothing, so the
 * purge leaves no audit record (their creation and every use have one).
 */
async function purgeExpired(
  kms: Kms,
  afterMs: number,
): Promise<Pick<DueWorkResult, 'purgedTokens' | 'purgedImportTokens'>> {
  const before = new Date(kms.clock.now().getTime() - afterMs);
  let purgedTokens = 0;
  let purgedImportTokens = 0;
  for (let round = 0; round < PURGE_ROUNDS; round++) {
    const purged = await kms.store.purgeExpired(before, PURGE_BATCH);
    purgedTokens += purged.tokens;
    purgedImportTokens += purged.importTokens;
    if (purged.tokens < PURGE_BATCH && purged.importTokens < PURGE_BATCH) break;
  }
  return { purgedTokens, purgedImportTokens };
}

const scheduledDestroy = audited('destroyKey', destroyKey);
const scheduledExpiry = audited('expireImportedMaterial', eraseImportedMaterial);
const scheduledRotation = audited('rotateKey', rotateLoadedKey);

function stillDue(kind: DueKind, loaded: LoadedKey, now: Date): boolean {
  const { key } = loaded;
  switch (kind) {
    case 'deletion':
      return (
        key.state === 'PendingDeletion' && key.deletionDate !== null && key.deletionDate <= now
      );
    case 'material-expiry':
      return key.materialExpiresAt !== null && key.materialExpiresAt <= now;
    case 'rotation':
      return key.state === 'Enabled' && key.nextRotationAt !== null && key.nextRotationAt <= now;
  }
}

export interface Scheduler {
  stop(): Promise<void>;
}

/** Runs `runDueWork` every `intervalMs`; one round at a time, never overlapping. */
export function startScheduler(
  kms: Kms,
  options: DueWorkOptions & { intervalMs: number; onError?: (error: unknown) => void },
): Scheduler {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => runDueWork(kms, options))
      .catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
