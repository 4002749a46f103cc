import { z } from 'zod';
import type { RequestContext } from '../context.js';
import { authorizeIdentity } from './authorize-identity.js';
import { pageSchema, parseInput } from './identity-input.js';
import { type PrincipalView, principalView } from './views.js';

export interface ListPrincipalsInput {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ListPrincipalsOutput {
  readonly principals: PrincipalView[];
  readonly nextCursor: string | null;
}

const inputSchema = z.object(pageSchema);

/** Principals in id order, a page at a time. */
export async function listPrincipals(
  ctx: RequestContext,
  input: ListPrincipalsInput = {},
): Promise<ListPrincipalsOutput> {
  const { limit, cursor } = parseInput(inputSchema, input);
  authorizeIdentity(ctx, 'custos:ListPrincipals');
  const page = await ctx.kms.store.listPrincipals({
    limit: limit ?? ctx.kms.config.defaultPageSize,
    ...(cursor !== undefined && { cursor }),
  });
  return { principals: page.items.map(principalView), nextCursor: page.nextCursor };
}
