import { isAuthenticated } from '../../core/access.js';
import { UnauthenticatedError } from '../../core/errors.js';
import type { PrincipalKind } from '../../core/identity.js';
import type { RequestContext } from '../context.js';
import { type TokenView, tokenView } from './views.js';

export interface LookupSelfOutput {
  readonly id: string;
  readonly kind: PrincipalKind;
  /** The policies this request acts with (the token's when it names any). */
  readonly policies: readonly string[];
  readonly credential: {
    readonly type: 'token' | 'jwt' | 'certificate';
    readonly expiresAt: Date | null;
  } | null;
  /** The token this request used, when it used one. */
  readonly token: TokenView | null;
}

/**
 * Who the caller is and what they act with. Needs no permission: every
 * authenticated caller may see their own identity (the anonymous one may not).
 */
export async function lookupSelf(ctx: RequestContext): Promise<LookupSelfOutput> {
  const principal = ctx.principal;
  if (principal.kind === 'anonymous') throw new UnauthenticatedError('no credential was presented');
  const credential = isAuthenticated(principal) ? principal.credential : undefined;
  let token: TokenView | null = null;
  if (credential?.type === 'token') {
    const record = await ctx.kms.store.getTokenByAccessor(credential.id);
    if (record !== undefined) token = tokenView(ctx.kms, record);
  }
  return {
    id: principal.id,
    kind: principal.kind,
    policies: principal.policies,
    credential:
      credential === undefined ? null : { type: credential.type, expiresAt: credential.expiresAt },
    token,
  };
}
