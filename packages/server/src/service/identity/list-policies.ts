import { z } from 'zod';
import type { RequestContext } from '../context.js';
import { authorizeIdentity } from './authorize-identity.js';
import { pageSchema, parseInput } from './identity-input.js';

export interface ListPoliciesInput {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface PolicySummary {
  readonly name: string;
  readonly rowVersion: number;
  readonly updatedAt: Date;
}

export interface ListPoliciesOutput {
  readonly policies: PolicySummary[];
  readonly nextCursor: string | null;
}

const inputSchema = z.object(pageSchema);

/** Policy names in order, without their documents (getPolicy reads one). */
export async function listPolicies(
  ctx: RequestContext,
  input: ListPoliciesInput = {},
): Promise<ListPoliciesOutput> {
  const { limit, cursor } = parseInput(inputSchema, input);
  authorizeIdentity(ctx, 'custos:ListPolicies');
  const page = await ctx.kms.store.listPolicies({
    limit: limit ?? ctx.kms.config.defaultPageSize,
    ...(cursor !== undefined && { cursor }),
  });
  return {
    policies: page.items.map(({ name, rowVersion, updatedAt }) => ({
      name,
      rowVersion,
      updatedAt,
    })),
    nextCursor: page.nextCursor,
  };
}
