import type { Kms } from '../context.js';

/**
 * Loads grants and key policies into the authorizer: one key's after a write
 * to them, or all at start. An authorizer that keeps none ignores it.
 *
 * @example
 * await loadKeyAccess(kms); // at start
 */
export async function loadKeyAccess(kms: Kms, keyId?: string): Promise<void> {
  await kms.authorizer.refreshKeyAccess?.(kms.store, keyId);
}
