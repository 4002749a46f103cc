import type { RequestContext } from './context.js';
import type { KeyView } from './key-view.js';
import { updateKeySettings } from './update-key-settings.js';

export interface KeyRefInput {
  readonly keyId: string;
}

/** Enabled → Enabled is a no-op, as AWS KMS. */
export async function enableKey(ctx: RequestContext, input: KeyRefInput): Promise<KeyView> {
  return updateKeySettings(ctx, { keyId: input.keyId, enabled: true });
}

/** Disabled → Disabled is a no-op. */
export async function disableKey(ctx: RequestContext, input: KeyRefInput): Promise<KeyView> {
  return updateKeySettings(ctx, { keyId: input.keyId, enabled: false });
}
