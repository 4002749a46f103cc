import { checkAliasName } from './alias-name.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { changeKey } from './key-writes.js';

export interface DeleteAliasInput {
  readonly alias: string;
}

export async function deleteAlias(ctx: RequestContext, input: DeleteAliasInput): Promise<void> {
  checkAliasName(input.alias);
  const loaded = await loadAuthorizedKey(ctx, input.alias, 'kms:DeleteAlias');
  try {
    await changeKey(ctx, loaded.key.id, (tx) => tx.deleteAlias(input.alias));
  } finally {
    ctx.kms.cache.invalidateAlias(input.alias);
  }
}
