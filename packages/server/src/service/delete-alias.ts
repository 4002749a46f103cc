import { NotFoundError } from '../core/errors.js';
import { checkAliasName } from './alias-name.js';
import { authorize } from './authorize.js';
import type { RequestContext } from './context.js';
import { assertUnsealed, loadKey } from './key-loader.js';
import { changeKey } from './key-writes.js';

export interface DeleteAliasInput {
  readonly alias: string;
}

export async function deleteAlias(ctx: RequestContext, input: DeleteAliasInput): Promise<void> {
  checkAliasName(input.alias);
  assertUnsealed(ctx);
  const alias = await ctx.kms.store.getAlias(input.alias);
  if (alias === undefined) throw new NotFoundError(`alias ${input.alias} does not exist`);
  const loaded = await loadKey(ctx, alias.keyId);
  authorize(ctx, 'kms:DeleteAlias', loaded);
  try {
    await changeKey(ctx, alias.keyId, (tx) => tx.deleteAlias(input.alias));
  } finally {
    ctx.kms.cache.invalidateAlias(input.alias);
  }
}
