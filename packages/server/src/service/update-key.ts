import type { Action } from '../core/actions.js';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import type { Tags } from '../core/key.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';
import { type KeyView, keyView } from './key-view.js';
import { updateKey } from './key-writes.js';
import { checkTags } from './tags.js';

/** Destroyed keys are kept only as tombstones: nothing about them changes. */
export function assertNotDestroyed(loaded: LoadedKey): void {
  if (loaded.key.state === 'Destroyed')
    throw new NotFoundError(`key ${loaded.key.id} does not exist`);
}

export interface UpdateKeyDescriptionInput {
  readonly keyId: string;
  readonly description: string;
}

export async function updateKeyDescription(
  ctx: RequestContext,
  input: UpdateKeyDescriptionInput,
): Promise<KeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:UpdateKeyDescription');
  assertNotDestroyed(loaded);
  if (typeof input.description !== 'string' || input.description.length > 8192) {
    throw new InvalidInputError('description must be a string of at most 8192 characters');
  }
  return keyView(ctx, await updateKey(ctx, loaded, { description: input.description }));
}

export interface TagKeyInput {
  readonly keyId: string;
  /** Tags to add or overwrite. */
  readonly set?: Tags;
  /** Tag keys to remove. */
  readonly remove?: readonly string[];
}

/** Adds, overwrites and removes tags in one change. */
export async function tagKey(ctx: RequestContext, input: TagKeyInput): Promise<KeyView> {
  // Authorization below is per half of the request: one with neither half would pass unchecked.
  if (input.set === undefined && input.remove === undefined) {
    throw new InvalidInputError('give tags to set, tag keys to remove, or both');
  }
  const actions: Action[] = [];
  if (input.set !== undefined) actions.push('kms:TagResource');
  if (input.remove !== undefined) actions.push('kms:UntagResource');
  const loaded = await loadAuthorizedKey(ctx, input.keyId, actions);
  assertNotDestroyed(loaded);
  const remove: unknown = input.remove;
  if (
    remove !== undefined &&
    !(Array.isArray(remove) && remove.every((n) => typeof n === 'string'))
  ) {
    throw new InvalidInputError('tag keys to remove must be an array of strings');
  }
  const removed = new Set(input.remove);
  const tags: Record<string, string> = Object.fromEntries(
    Object.entries(loaded.key.tags).filter(([name]) => !removed.has(name)),
  );
  if (input.set !== undefined) {
    checkTags(input.set);
    Object.assign(tags, input.set);
  }
  checkTags(tags);
  return keyView(ctx, await updateKey(ctx, loaded, { tags }));
}
