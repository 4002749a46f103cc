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
}

const BATCH = 100;

/**
 * Does what is due at the kms clock's now: automatic rotations, deletions
 * whose waiting period has ended, imported material past its expiry. Safe to
 * run on several nodes: optimistic writes make a duplicate attempt a Conflict.
 */
export async function runDueWork(kms: Kms): Promise<DueWorkResult> {
  const ctx: RequestContext = {
    kms,
    principal: ROOT_PRINCIPAL,
    requestId: 'scheduler',
    door: 'scheduler',
  };
  const counts = { rotated: 0, destroyed: 0, expired: 0, failed: 0 };
  if (kms.keyring.sealed) return counts;
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
  return counts;
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
  options: { intervalMs: number; onError?: (error: unknown) => void },
): Scheduler {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => runDueWork(kms))
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
