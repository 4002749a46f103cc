import { grantLabel } from '../../authz/key-access.js';
import { constraintsHold } from '../../authz/key-access.js';
import type { AccessDecision } from '../../core/access.js';
import type { Action } from '../../core/actions.js';
import { AccessDeniedError, isKmsError } from '../../core/errors.js';
import type { GrantConstraints, GrantRecord } from '../../core/key-access.js';
import type { RequestContext } from '../context.js';
import { authorizeMissing } from '../authorize.js';
import type { LoadedKey } from '../key-cache.js';
import { loadKey } from '../key-loader.js';

/**
 * The key `ref` names, for a grant request about to be authorized on it. A
 * missing key is NOT_FOUND only to a caller who would have been allowed
 * `action` on what the request named; anyone else gets the ACCESS_DENIED an
 * existing key gives, so refusals never tell whether a key exists.
 */
export async function loadKeyFor(
  ctx: RequestContext,
  ref: string,
  action: Action,
): Promise<LoadedKey> {
  try {
    return await loadKey(ctx, ref);
  } catch (error) {
    if (isKmsError(error) && error.code === 'NOT_FOUND') authorizeMissing(ctx, action, ref);
    throw error;
  }
}

/**
 * Decides a grant administration request on a key. `own` is the grant the
 * request is about (retiring): its retiring principal, and its grantee when
 * it includes RetireGrant, may act on it whatever the policies say. Any
 * other grant's allow does not extend to someone else's grant.
 */
export function authorizeOnGrant(
  ctx: RequestContext,
  action: Action,
  loaded: LoadedKey,
  ref: string,
  own?: GrantRecord,
): AccessDecision {
  const principal = ctx.principal.id;
  let decision: AccessDecision | undefined;
  if (own !== undefined && principal !== 'anonymous') {
    if (own.retiringPrincipal === principal) {
      decision = { allowed: true, statement: `${grantLabel(own.grantId)}#retiring-principal` };
    } else if (own.granteePrincipal === principal && own.operations.includes('kms:RetireGrant')) {
      decision = { allowed: true, statement: grantLabel(own.grantId) };
    }
  }
  if (decision === undefined) {
    const asked = ctx.kms.authorizer.decide(ctx.principal, {
      action,
      keyId: loaded.key.id,
      aliases: loaded.aliases,
      tags: loaded.key.tags,
      ...(ctx.sourceAddress !== undefined && { sourceAddress: ctx.sourceAddress }),
      ...(ctx.replayProtected === true && { replayProtected: true }),
    });
    const otherGrant = asked.allowed && asked.statement.startsWith('grant/') && own !== undefined;
    decision = otherGrant ? { allowed: false, statement: 'default-deny' } : asked;
  }
  ctx.audit?.decided(action, { keyId: loaded.key.id }, decision);
  if (!decision.allowed) {
    // Named as the caller named it: never tell which key an alias stands for.
    throw new AccessDeniedError(`${principal} is not allowed to perform ${action} on key ${ref}`);
  }
  return decision;
}

/**
 * AWS: a grantee whose CreateGrant comes from a grant may pass on only what
 * that grant holds, and only under a constraint at least as strict.
 */
export function withinParentGrant(
  parent: GrantRecord,
  operations: readonly string[],
  constraints: GrantConstraints | undefined,
): boolean {
  const held: readonly string[] = parent.operations;
  if (!operations.every((op) => held.includes(op))) return false;
  const wanted = parent.constraints;
  if (wanted === null) return true;
  if (constraints === undefined) return false;
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = constraints;
  if (wanted.encryptionContextEquals !== undefined) {
    // Only the same exact context is as strict as an exact context.
    return equals !== undefined && constraintsHold(wanted, equals);
  }
  // Every context the child admits must satisfy the parent's subset.
  if (equals !== undefined) return constraintsHold(wanted, equals);
  return subset !== undefined && constraintsHold(wanted, subset);
}
