import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { sealBackup } from './key-backup-format.js';
import { assertNotDestroyed } from './update-key.js';

export interface BackupKeyInput {
  readonly keyId: string;
}

export interface BackupKeyOutput {
  readonly keyId: string;
  /** Opaque blob (docs/formats.md, "Key backup blob"); restorable only under the same domain key. */
  readonly backup: Buffer;
}

/**
 * A self-contained copy of a key (record, versions with their sealed
 * material, aliases) for restoreKey. Material never leaves the domain key's
 * protection: the blob is useless to a server without that domain key.
 * Destroyed keys have nothing left to back up (NotFound, as elsewhere).
 *
 * @example
 * const { backup } = await backupKey(ctx, { keyId: 'alias/payments' });
 */
export async function backupKey(
  ctx: RequestContext,
  input: BackupKeyInput,
): Promise<BackupKeyOutput> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:BackupKey');
  assertNotDestroyed(loaded);
  // Read aliases fresh: the cached snapshot has their names only, the backup keeps their dates.
  const aliases = await ctx.kms.store.listAliases({ keyId: loaded.key.id }, { limit: 1000 });
  return { keyId: loaded.key.id, backup: sealBackup(ctx.kms.keyring, loaded, aliases.items) };
}
