import { assertTransition } from '../core/lifecycle.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { type KeyView, keyView } from './key-view.js';
import { updateKey } from './key-writes.js';
import { assertNotDestroyed } from './update-key.js';

export interface KeyRefInput {
  readonly keyId: string;
}

/** Enabled → Enabled is a no-op, as AWS KMS. */
export async function enableKey(ctx: RequestContext, input: KeyRefInput): Promise<KeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:EnableKey');
  assertNotDestroyed(loaded);
  if (loaded.key.state === 'Enabled') return keyView(ctx, loaded);
  assertTransition(loaded.key, 'Enabled');
  return keyView(ctx, await updateKey(ctx, loaded, { state: 'Enabled' }));
}

/** Disabled → Disabled is a no-op. */
export async function disableKey(ctx: RequestContext, input: KeyRefInput): Promise<KeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:DisableKey');
  assertNotDestroyed(loaded);
  if (loaded.key.state === 'Disabled') return keyView(ctx, loaded);
  assertTransition(loaded.key, 'Disabled');
  return keyView(ctx, await updateKey(ctx, loaded, { state: 'Disabled' }));
}
