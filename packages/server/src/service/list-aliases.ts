import type { Alias } from '../core/key.js';
import { authorize } from './authorize.js';
import type { RequestContext } from './context.js';
import { assertUnsealed, resolveKeyId } from './key-loader.js';
import { checkInteger } from './validate.js';

export interface ListAliasesInput {
  readonly keyId?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ListAliasesOutput {
  readonly aliases: Alias[];
  readonly nextCursor: string | null;
}

export async function listAliases(
  ctx: RequestContext,
  input: ListAliasesInput,
): Promise<ListAliasesOutput> {
  assertUnsealed(ctx);
  authorize(ctx, 'kms:ListAliases');
  const limit = input.limit ?? ctx.kms.config.defaultPageSize;
  checkInteger('limit', limit, 1, 1000);
  const keyId = input.keyId === undefined ? undefined : await resolveKeyId(ctx, input.keyId);
  const page = await ctx.kms.store.listAliases(keyId === undefined ? {} : { keyId }, {
    limit,
    ...(input.cursor !== undefined && { cursor: input.cursor }),
  });
  return { aliases: page.items, nextCursor: page.nextCursor };
}
