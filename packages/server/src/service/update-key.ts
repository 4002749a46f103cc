import type { Tags } from '../core/key.js';
import type { RequestContext } from './context.js';
import type { KeyView } from './key-view.js';
import { updateKeySettings } from './update-key-settings.js';

export { assertNotDestroyed } from './key-settings.js';

export interface UpdateKeyDescriptionInput {
  readonly keyId: string;
  readonly description: string;
}

export async function updateKeyDescription(
  ctx: RequestContext,
  input: UpdateKeyDescriptionInput,
): Promise<KeyView> {
  return updateKeySettings(ctx, { keyId: input.keyId, description: input.description });
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
  const { keyId, ...tags } = input;
  return updateKeySettings(ctx, { keyId, tags });
}
