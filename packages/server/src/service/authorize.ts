import type { EncryptionContext } from '@custos/crypto';
import type { Action } from '../core/actions.js';
import { AccessDeniedError, type KmsError } from '../core/errors.js';
import { isKeyId } from '../core/ids.js';
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
    throw accessDenied(ctx, action, loaded === undefined ? undefined : `key ${loaded.key.id}`);
  }
  if (loaded !== undefined) ctx.kms.usage.countOperation(loaded.key.id, action);
  return decision;
}

/**
 * Stands for whichever key an alias would name: as a key id it makes the
 * resources `*` and `key/*`, which a pattern matches exactly when it matches
 * every key (a pattern cannot match the character `*` but with a wildcard).
 */
const ANY_KEY = '*';

/**
 * Decides on a key reference that names no existing key, from what the
 * request named alone: the key id, or the alias (for any key it could name).
 * The missing key has no aliases and no tags, so allows that need them do
 * not hold. A caller allowed this learns the key does not exist; anyone else
 * gets the AccessDenied a key that exists but is not theirs gives.
 */
export function authorizeMissing(
  ctx: RequestContext,
  action: Action,
  ref: string,
  encryptionContext?: EncryptionContext,
): void {
  const byId = isKeyId(ref);
  const decision = ctx.kms.authorizer.decide(ctx.principal, {
    action,
    ...(byId ? { keyId: ref } : { keyId: ANY_KEY, aliases: [ref] }),
    ...(encryptionContext && { encryptionContext }),
    ...(ctx.sourceAddress !== undefined && { sourceAddress: ctx.sourceAddress }),
    ...(ctx.replayProtected === true && { replayProtected: true }),
  });
  ctx.audit?.decided(
    action,
    byId ? { keyId: ref } : { resource: ref },
    decision,
    encryptionContext,
  );
  if (!decision.allowed) throw accessDenied(ctx, action, `key ${ref}`);
}

export function accessDenied(
  ctx: RequestContext,
  action: Action,
  on: string | undefined,
): KmsError {
  const where = on === undefined ? '' : ` on ${on}`;
  return new AccessDeniedError(`${ctx.principal.id} is not allowed to perform ${action}${where}`);
}
