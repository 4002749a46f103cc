import { InvalidInputError } from '../../core/errors.js';
import { loadAuthorizedKey } from '../authorized-key.js';
import type { RequestContext } from '../context.js';
import { deleteAlias } from '../delete-alias.js';
import { scheduleKeyDeletion } from '../schedule-key-deletion.js';
import { VAULT_ATTRIBUTES } from './vault-key.js';

export interface DeleteVaultKeyInput {
  /** The Vault name's alias (`alias/vault/<mount>/<name>`). */
  readonly alias: string;
}

/**
 * Vault's `DELETE keys/:name`, allowed only after `deletion_allowed` was set.
 * Custos never destroys at once: the key is scheduled for deletion after the
 * shortest window (7 days) and the name is released, so Vault sees it gone
 * while an operator can still cancel through the other doors.
 */
export async function deleteVaultKey(
  ctx: RequestContext,
  input: DeleteVaultKeyInput,
): Promise<void> {
  const loaded = await loadAuthorizedKey(ctx, input.alias, 'kms:ScheduleKeyDeletion');
  /* Precondition (openbao path_keys.go): deletion must have been allowed in the key's config. */
  if (loaded.key.attributes[VAULT_ATTRIBUTES.deletionAllowed] !== 'true') {
    throw new InvalidInputError('deletion is not allowed for this key');
  }
  if (loaded.key.state !== 'PendingDeletion') {
    await scheduleKeyDeletion(ctx, { keyId: loaded.key.id, pendingWindowDays: 7 });
  }
  await deleteAlias(ctx, { alias: input.alias });
}
