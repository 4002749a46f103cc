import type { AccessDecision } from '../../core/access.js';
import type { Action } from '../../core/actions.js';
import { AccessDeniedError, NotFoundError } from '../../core/errors.js';
import type { RequestContext } from '../context.js';

/**
 * Asks the authorizer about an identity action on `resource`
 * (`principal/<id>`, `policy/<name>`), or on no resource at all (listing,
 * which only a `*` resource allows). Denial is AccessDenied.
 */
export function authorizeIdentity(
  ctx: RequestContext,
  action: Action,
  resource?: string,
): AccessDecision {
  const decision = ctx.kms.authorizer.decide(ctx.principal, {
    action,
    ...(resource !== undefined && { resource }),
    ...(ctx.sourceAddress !== undefined && { sourceAddress: ctx.sourceAddress }),
    ...(ctx.replayProtected === true && { replayProtected: true }),
  });
  ctx.audit?.decided(action, { resource }, decision);
  if (!decision.allowed) {
    const on = resource === undefined ? '' : ` on ${resource}`;
    throw new AccessDeniedError(`${ctx.principal.id} is not allowed to perform ${action}${on}`);
  }
  return decision;
}

export const principalResource = (id: string): string => `principal/${id}`;
export const policyResource = (name: string): string => `policy/${name}`;

/**
 * Giving a principal or token a policy it did not have is granting: the
 * caller needs custos:AttachPolicy on each such policy, or anyone allowed to
 * create principals or tokens could hand themselves any policy. Each must
 * exist, so a misspelt name is caught rather than silently granting nothing.
 */
export async function authorizeAttach(
  ctx: RequestContext,
  policies: readonly string[],
  alreadyHeld: readonly string[] = [],
): Promise<void> {
  for (const name of policies) {
    if (alreadyHeld.includes(name)) continue;
    authorizeIdentity(ctx, 'custos:AttachPolicy', policyResource(name));
    if ((await ctx.kms.store.getPolicy(name)) === undefined) {
      throw new NotFoundError(`policy ${name} does not exist`);
    }
  }
}
