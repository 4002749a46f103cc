import { AlreadyExistsError } from '../core/errors.js';
import type { KeyRecord, KeyVersion } from '../core/key.js';
import { authorize } from './authorize.js';
import type { RequestContext } from './context.js';
import { type KeyBackup, openBackup } from './key-backup-format.js';
import type { LoadedKey } from './key-cache.js';
import { assertUnsealed, loadKey } from './key-loader.js';
import { type KeyView, keyView } from './key-view.js';
import { changeKey } from './key-writes.js';
import { checkBytes } from './validate.js';

/** Far above any real key's backup; bounds what is parsed. */
export const MAX_BACKUP_BYTES = 16 * 1024 * 1024;

export interface RestoreKeyInput {
  readonly backup: Uint8Array;
}

/**
 * Recreates a key from a backupKey blob, in one transaction. Only a server
 * holding the domain key the backup was sealed under can open it (any other
 * blob: InvalidCiphertext). A key with the same id must not exist, not even
 * as a Destroyed tombstone (AlreadyExists). Aliases that another key has
 * taken meanwhile are not restored; the returned view lists those that were.
 * A key backed up while pending deletion comes back with its deletion
 * cancelled: restoring is a deliberate decision to keep it.
 *
 * @example
 * const view = await restoreKey(ctx, { backup });
 */
export async function restoreKey(ctx: RequestContext, input: RestoreKeyInput): Promise<KeyView> {
  checkBytes('backup', input.backup, 1, MAX_BACKUP_BYTES);
  assertUnsealed(ctx);
  // Asked first without the key, so callers with no right to restore learn nothing of the blob.
  authorize(ctx, 'kms:RestoreKey');
  const backup = openBackup(ctx.kms.keyring, input.backup);
  const now = ctx.kms.clock.now();
  const restored = restoredKey(backup, now);
  authorize(ctx, 'kms:RestoreKey', restored);
  const { key, versions } = restored;
  await changeKey(ctx, key.id, async (tx) => {
    if ((await tx.getKey(key.id)) !== undefined) {
      throw new AlreadyExistsError(`key ${key.id} already exists`);
    }
    await tx.insertKey(key);
    for (const version of versions) await tx.insertVersion(version);
    for (const alias of backup.aliases) {
      if ((await tx.getAlias(alias.name)) !== undefined) continue;
      await tx.insertAlias({
        name: alias.name,
        keyId: key.id,
        createdAt: alias.createdAt,
        updatedAt: now,
      });
    }
  });
  for (const alias of backup.aliases) ctx.kms.cache.invalidateAlias(alias.name);
  ctx.kms.keyring.forgetKey(key.id);
  return keyView(ctx, await loadKey(ctx, key.id));
}

function restoredKey(backup: KeyBackup, now: Date): LoadedKey {
  const pending = backup.key.state === 'PendingDeletion';
  const hasMaterial = backup.versions.some((v) => v.wrappedMaterial !== null);
  const key: KeyRecord = {
    ...backup.key,
    state: pending ? (hasMaterial ? 'Disabled' : 'PendingImport') : backup.key.state,
    deletionDate: pending ? null : backup.key.deletionDate,
    updatedAt: now,
    rowVersion: 1,
  };
  const versions: KeyVersion[] = backup.versions.map((v) => ({
    ...v,
    keyId: key.id,
    rowVersion: 1,
  }));
  return { key, versions, aliases: backup.aliases.map((a) => a.name) };
}
