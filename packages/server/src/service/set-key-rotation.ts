import type { RequestContext } from './context.js';
import type { KeyView } from './key-view.js';
import { updateKeySettings } from './update-key-settings.js';

export interface SetKeyRotationInput {
  readonly keyId: string;
  /** A period in days turns automatic rotation on; null turns it off. */
  readonly rotationPeriodDays: number | null;
}

/** Turns automatic rotation on (next rotation one period from now) or off. */
export async function setKeyRotation(
  ctx: RequestContext,
  input: SetKeyRotationInput,
): Promise<KeyView> {
  return updateKeySettings(ctx, {
    keyId: input.keyId,
    rotationPeriodDays: input.rotationPeriodDays,
  });
}
