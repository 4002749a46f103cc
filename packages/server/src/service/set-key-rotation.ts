import { UnsupportedError } from '../core/errors.js';
import { addDays } from '../core/lifecycle.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { type KeyView, keyView } from './key-view.js';
import { updateKey } from './key-writes.js';
import { checkRotationPeriod } from './rotation-period.js';
import { assertNotDestroyed } from './update-key.js';

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
  const period = input.rotationPeriodDays;
  const action = period === null ? 'kms:DisableKeyRotation' : 'kms:EnableKeyRotation';
  const loaded = await loadAuthorizedKey(ctx, input.keyId, action);
  assertNotDestroyed(loaded);
  if (period === null) {
    return keyView(
      ctx,
      await updateKey(ctx, loaded, { rotationPeriodDays: null, nextRotationAt: null }),
    );
  }
  checkRotationPeriod(period);
  if (loaded.key.origin !== 'CUSTOS') {
    throw new UnsupportedError('keys with imported material do not rotate automatically');
  }
  const next = addDays(ctx.kms.clock.now(), period);
  return keyView(
    ctx,
    await updateKey(ctx, loaded, { rotationPeriodDays: period, nextRotationAt: next }),
  );
}
