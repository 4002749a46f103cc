import type { KeyRecord } from '../core/key.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';
import { changeKey } from './key-writes.js';

/**
 * Destroys a key whose deletion date has come: every version's material is
 * erased and its aliases and import tokens removed; the record stays as a
 * tombstone so that audit records and describe still name it.
 */
export async function destroyKey(ctx: RequestContext, loaded: LoadedKey): Promise<void> {
  const now = ctx.kms.clock.now();
  const key: KeyRecord = {
    ...loaded.key,
    state: 'Destroyed',
    updatedAt: now,
    nextRotationAt: null,
  };
  await changeKey(ctx, key.id, async (tx) => {
    for (const version of loaded.versions) {
      await tx.updateVersion({ ...version, state: 'Destroyed', wrappedMaterial: null });
    }
    for (const alias of loaded.aliases) await tx.deleteAlias(alias);
    await tx.updateKey(key);
  });
  for (const alias of loaded.aliases) ctx.kms.cache.invalidateAlias(alias);
  ctx.kms.keyring.forgetKey(key.id);
}

/**
 * Removes imported material whose validity has ended (or on request): the
 * key returns to PendingImport until the same material is imported again.
 */
export async function eraseImportedMaterial(ctx: RequestContext, loaded: LoadedKey): Promise<void> {
  const now = ctx.kms.clock.now();
  const key: KeyRecord = {
    ...loaded.key,
    state: loaded.key.state === 'PendingDeletion' ? 'PendingDeletion' : 'PendingImport',
    materialExpiresAt: null,
    updatedAt: now,
  };
  await changeKey(ctx, key.id, async (tx) => {
    for (const version of loaded.versions) {
      if (version.wrappedMaterial !== null) {
        await tx.updateVersion({ ...version, wrappedMaterial: null });
      }
    }
    await tx.updateKey(key);
  });
  ctx.kms.keyring.forgetKey(key.id);
}
