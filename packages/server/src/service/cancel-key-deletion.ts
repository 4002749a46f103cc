import { InvalidStateError } from '../core/errors.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { type KeyView, keyView } from './key-view.js';
import { updateKey } from './key-writes.js';
import { assertNotDestroyed } from './update-key.js';

export interface CancelKeyDeletionInput {
  readonly keyId: string;
}

/** Stops a scheduled deletion; the key comes back Disabled (as AWS KMS). */
export async function cancelKeyDeletion(
  ctx: RequestContext,
  input: CancelKeyDeletionInput,
): Promise<KeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:CancelKeyDeletion');
  assertNotDestroyed(loaded);
  if (loaded.key.state !== 'PendingDeletion') {
    throw new InvalidStateError(`key ${loaded.key.id} is not pending deletion`);
  }
  const state = loaded.versions.length === 0 ? 'PendingImport' : 'Disabled';
  return keyView(ctx, await updateKey(ctx, loaded, { state, deletionDate: null }));
}
