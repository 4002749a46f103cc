import { AlreadyExistsError } from '../core/errors.js';
import { checkAliasName } from './alias-name.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { changeKey } from './key-writes.js';
import { assertNotDestroyed } from './update-key.js';

export interface CreateAliasInput {
  readonly alias: string;
  readonly keyId: string;
}

/** Names a key; alias names are unique across all keys. */
export async function createAlias(ctx: RequestContext, input: CreateAliasInput): Promise<void> {
  checkAliasName(input.alias);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:CreateAlias');
  assertNotDestroyed(loaded);
  const now = ctx.kms.clock.now();
  await changeKey(ctx, loaded.key.id, async (tx) => {
    if ((await tx.getAlias(input.alias)) !== undefined) {
      throw new AlreadyExistsError(`alias ${input.alias} already exists`);
    }
    await tx.insertAlias({
      name: input.alias,
      keyId: loaded.key.id,
      createdAt: now,
      updatedAt: now,
    });
  });
  ctx.kms.cache.invalidateAlias(input.alias);
}
