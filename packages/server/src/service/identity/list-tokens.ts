import { z } from 'zod';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, principalResource } from './authorize-identity.js';
import { pageSchema, parseInput, principalIdSchema } from './identity-input.js';
import { type TokenView, tokenView } from './views.js';

export interface ListTokensInput {
  /** One principal's tokens; all tokens without it. */
  readonly principal?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ListTokensOutput {
  readonly tokens: TokenView[];
  readonly nextCursor: string | null;
}

const inputSchema = z.object({ principal: principalIdSchema.optional(), ...pageSchema });

/** Tokens by accessor, revoked and expired ones included; never their secrets. */
export async function listTokens(
  ctx: RequestContext,
  input: ListTokensInput = {},
): Promise<ListTokensOutput> {
  const { principal, limit, cursor } = parseInput(inputSchema, input);
  authorizeIdentity(
    ctx,
    'custos:ListTokens',
    principal === undefined ? undefined : principalResource(principal),
  );
  const page = await ctx.kms.store.listTokens(
    principal === undefined ? {} : { principalId: principal },
    {
      limit: limit ?? ctx.kms.config.defaultPageSize,
      ...(cursor !== undefined && { cursor }),
    },
  );
  return { tokens: page.items.map((t) => tokenView(ctx.kms, t)), nextCursor: page.nextCursor };
}
