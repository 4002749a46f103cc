import { keySpec } from '@custos/crypto';
import { InvalidInputError, NotFoundError } from '../core/errors.js';
import { checkAliasName } from './alias-name.js';
import { authorize } from './authorize.js';
import type { RequestContext } from './context.js';
import { assertUnsealed, loadKey } from './key-loader.js';
import { changeKey } from './key-writes.js';
import { assertNotDestroyed } from './update-key.js';

export interface UpdateAliasInput {
  readonly alias: string;
  readonly keyId: string;
}

/**
 * Points an alias at another key. As AWS KMS: the new key must have the same
 * spec family and usage, so code using the alias keeps working.
 */
export async function updateAlias(ctx: RequestContext, input: UpdateAliasInput): Promise<void> {
  checkAliasName(input.alias);
  assertUnsealed(ctx);
  const alias = await ctx.kms.store.getAlias(input.alias);
  if (alias === undefined) throw new NotFoundError(`alias ${input.alias} does not exist`);
  const from = await loadKey(ctx, alias.keyId);
  const to = await loadKey(ctx, input.keyId);
  authorize(ctx, 'kms:UpdateAlias', from);
  authorize(ctx, 'kms:UpdateAlias', to);
  assertNotDestroyed(to);
  if (
    from.key.usage !== to.key.usage ||
    keySpec(from.key.spec).family !== keySpec(to.key.spec).family
  ) {
    throw new InvalidInputError('an alias can only move to a key of the same type and usage');
  }
  const now = ctx.kms.clock.now();
  try {
    await changeKey(ctx, to.key.id, (tx) =>
      tx.updateAlias({ ...alias, keyId: to.key.id, updatedAt: now }),
    );
  } finally {
    ctx.kms.cache.invalidate(from.key.id);
    ctx.kms.cache.invalidateAlias(input.alias);
  }
}
