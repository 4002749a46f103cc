import type { Action } from '../core/actions.js';
import { InvalidInputError } from '../core/errors.js';
import type { Tags } from '../core/key.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { type KeyView, keyView } from './key-view.js';
import {
  type KeyPatch,
  assertNotDestroyed,
  descriptionChange,
  rotationChange,
  stateChange,
  tagsChange,
} from './key-settings.js';
import { updateKey } from './key-writes.js';

export interface UpdateKeySettingsInput {
  readonly keyId: string;
  readonly description?: string;
  readonly tags?: { readonly set?: Tags; readonly remove?: readonly string[] };
  /** A period in days turns automatic rotation on; null turns it off. */
  readonly rotationPeriodDays?: number | null;
  readonly enabled?: boolean;
}

/**
 * Several settings of a key in one change: all are authorized (each as its
 * own action, e.g. kms:TagResource for tags to set) and checked against the
 * key as read, then written in one transaction with one audit record. Any
 * refusal leaves the key as it was.
 *
 * @example
 * await updateKeySettings(ctx, { keyId, description: 'orders', tags: { remove: ['tmp'] } });
 */
export async function updateKeySettings(
  ctx: RequestContext,
  input: UpdateKeySettingsInput,
): Promise<KeyView> {
  const actions = actionsOf(input);
  if (actions.length === 0) {
    throw new InvalidInputError('name at least one setting to change');
  }
  const loaded = await loadAuthorizedKey(ctx, input.keyId, actions);
  assertNotDestroyed(loaded);
  const { key } = loaded;
  const now = ctx.kms.clock.now();
  const patch: KeyPatch = {
    ...(input.description !== undefined && descriptionChange(input.description)),
    ...(input.tags !== undefined && tagsChange(key.tags, input.tags.set, input.tags.remove)),
    ...(input.rotationPeriodDays !== undefined &&
      rotationChange(key, input.rotationPeriodDays, now)),
    ...(input.enabled !== undefined && stateChange(key, input.enabled ? 'Enabled' : 'Disabled')),
  };
  if (Object.keys(patch).length === 0) return keyView(ctx, loaded);
  return keyView(ctx, await updateKey(ctx, loaded, patch));
}

/** The action each requested setting is authorized as, in the order they are listed. */
function actionsOf(input: UpdateKeySettingsInput): Action[] {
  const actions: Action[] = [];
  if (input.description !== undefined) actions.push('kms:UpdateKeyDescription');
  const tags: unknown = input.tags;
  if (tags !== undefined) {
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
      throw new InvalidInputError('tags must be an object with set and remove');
    }
    if ('set' in tags && tags.set !== undefined) actions.push('kms:TagResource');
    if ('remove' in tags && tags.remove !== undefined) actions.push('kms:UntagResource');
  }
  if (input.rotationPeriodDays !== undefined) {
    actions.push(
      input.rotationPeriodDays === null ? 'kms:DisableKeyRotation' : 'kms:EnableKeyRotation',
    );
  }
  const enabled: unknown = input.enabled;
  if (enabled !== undefined) {
    if (typeof enabled !== 'boolean') throw new InvalidInputError('enabled must be true or false');
    actions.push(enabled ? 'kms:EnableKey' : 'kms:DisableKey');
  }
  return actions;
}
