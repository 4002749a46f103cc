import { z } from 'zod';
import { NotFoundError } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, principalResource } from './authorize-identity.js';
import { identityState } from './identity-state.js';
import { parseInput } from './identity-input.js';
import { type TokenView, tokenView } from './views.js';
import { auditedTransaction } from '../audited.js';

export interface RevokeTokenInput {
  readonly accessor: string;
}

const inputSchema = z.object({ accessor: z.string().min(1).max(64) });

/**
 * Revokes a token by its accessor; it stops authenticating at once on this
 * node. Revoking again changes nothing. Who may revoke is decided on the
 * token's principal (`principal/<id>`).
 */
export async function revokeToken(
  ctx: RequestContext,
  input: RevokeTokenInput,
): Promise<TokenView> {
  const { accessor } = parseInput(inputSchema, input);
  const token = await ctx.kms.store.getTokenByAccessor(accessor);
  if (token === undefined) {
    // Only a caller allowed to revoke any token learns that an accessor does not exist.
    authorizeIdentity(ctx, 'custos:RevokeToken');
    throw new NotFoundError(`token ${accessor} does not exist`);
  }
  authorizeIdentity(ctx, 'custos:RevokeToken', principalResource(token.principalId));
  const state = identityState(ctx.kms);
  try {
    const revoked = await auditedTransaction(ctx, (tx) =>
      tx.revokeToken(accessor, ctx.kms.clock.now()),
    );
    return tokenView(ctx.kms, revoked);
  } finally {
    state.forgetToken(token.id);
  }
}
