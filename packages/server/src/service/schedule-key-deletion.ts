import { InvalidStateError } from '../core/errors.js';
import {
  DEFAULT_DELETION_DAYS,
  MAX_DELETION_DAYS,
  MIN_DELETION_DAYS,
  addDays,
  assertTransition,
} from '../core/lifecycle.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { type KeyView, keyView } from './key-view.js';
import { updateKey } from './key-writes.js';
import { assertNotDestroyed } from './update-key.js';
import { checkInteger } from './validate.js';

export interface ScheduleKeyDeletionInput {
  readonly keyId: string;
  /** 7–30 days, default 30. */
  readonly pendingWindowDays?: number;
}

/** Starts the waiting period after which the key and all its material are destroyed. */
export async function scheduleKeyDeletion(
  ctx: RequestContext,
  input: ScheduleKeyDeletionInput,
): Promise<KeyView> {
  const days = input.pendingWindowDays ?? DEFAULT_DELETION_DAYS;
  checkInteger('pendingWindowDays', days, MIN_DELETION_DAYS, MAX_DELETION_DAYS);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:ScheduleKeyDeletion');
  assertNotDestroyed(loaded);
  if (loaded.key.state === 'PendingDeletion') {
    throw new InvalidStateError(`key ${loaded.key.id} is already pending deletion`);
  }
  assertTransition(loaded.key, 'PendingDeletion');
  const deletionDate = addDays(ctx.kms.clock.now(), days);
  return keyView(ctx, await updateKey(ctx, loaded, { state: 'PendingDeletion', deletionDate }));
}
