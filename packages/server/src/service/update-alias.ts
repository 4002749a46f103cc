import { keySpec } from '@custos/crypto';
import { ConflictError, InvalidInputError } from '../core/errors.js';
import { checkAliasName } from './alias-name.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
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
  const from = await loadAuthorizedKey(ctx, input.alias, 'kms:UpdateAlias');
  const to = await loadAuthorizedKey(ctx, input.keyId, 'kms:UpdateAlias');
  assertNotDestroyed(to);
  if (
    from.key.usage !== to.key.usage ||
    keySpec(from.key.spec).family !== keySpec(to.key.spec).family
  ) {
    throw new InvalidInputError('an alias can only move to a key of the same type and usage');
  }
  const now = ctx.kms.clock.now();
  try {
    await changeKey(ctx, to.key.id, async (tx) => {
      const alias = await tx.getAlias(input.alias);
      /* Precondition: the alias still names the key it was authorized on. */
      if (alias?.keyId !== from.key.id) throw new ConflictError(`alias ${input.alias} changed`);
      await tx.updateAlias({ ...alias, keyId: to.key.id, updatedAt: now });
    });
  } finally {
    ctx.kms.cache.invalidate(from.key.id);
    ctx.kms.cache.invalidateAlias(input.alias);
  }
}
