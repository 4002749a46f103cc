import type { KeyRecord } from '../core/key.js';
import type { StoreWriter } from '../store/store.js';
import { auditedTransaction } from './audited.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';
import { loadKey } from './key-loader.js';

/**
 * Runs a state change as one transaction and drops the key from the cache
 * afterwards, committed or not. Writes carry the row version the key was read
 * at, so a racing change makes this one fail with Conflict, never lose either.
 * The call's audit record is written in the same transaction (fail closed).
 */
export async function changeKey<T>(
  ctx: RequestContext,
  keyId: string,
  change: (tx: StoreWriter) => Promise<T>,
): Promise<T> {
  try {
    return await auditedTransaction(ctx, change, keyId);
  } finally {
    ctx.kms.cache.invalidate(keyId);
  }
}

/** Applies `patch` to a loaded key and writes it; returns the fresh snapshot. */
export async function updateKey(
  ctx: RequestContext,
  loaded: LoadedKey,
  patch: Partial<Omit<KeyRecord, 'id' | 'rowVersion' | 'createdAt'>>,
): Promise<LoadedKey> {
  const now = ctx.kms.clock.now();
  await changeKey(ctx, loaded.key.id, (tx) =>
    tx.updateKey({ ...loaded.key, ...patch, updatedAt: now }),
  );
  return loadKey(ctx, loaded.key.id);
}
