import type { EncryptionContext } from '@custos/crypto';
import type { Action } from '../core/actions.js';
import { AccessDeniedError } from '../core/errors.js';
import type { AccessDecision } from './authorizer.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';

/**
 * Asks the authorizer; denial is AccessDenied. The decision is returned so the
 * audit record can name the statement that allowed the request.
 */
export function authorize(
  ctx: RequestContext,
  action: Action,
  loaded?: LoadedKey,
  encryptionContext?: EncryptionContext,
): AccessDecision {
  const decision = ctx.kms.authorizer.decide(ctx.principal, {
    action,
    ...(loaded && { keyId: loaded.key.id, aliases: loaded.aliases, tags: loaded.key.tags }),
    ...(encryptionContext && { encryptionContext }),
    ...(ctx.sourceAddress !== undefined && { sourceAddress: ctx.sourceAddress }),
    ...(ctx.replayProtected === true && { replayProtected: true }),
  });
  ctx.audit?.decided(action, { keyId: loaded?.key.id }, decision, encryptionContext);
  if (!decision.allowed) {
    const on = loaded === undefined ? '' : ` on key ${loaded.key.id}`;
    throw new AccessDeniedError(`${ctx.principal.id} is not allowed to perform ${action}${on}`);
  }
  if (loaded !== undefined) ctx.kms.usage.countOperation(loaded.key.id, action);
  return decision;
}
