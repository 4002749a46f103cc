import { InvalidInputError, NotFoundError, SealedError } from '../core/errors.js';
import { isAliasName, isKeyId } from '../core/ids.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';

/** Precondition of every key operation: a sealed server holds no keys. */
export function assertUnsealed(ctx: RequestContext): void {
  if (ctx.kms.keyring.sealed) throw new SealedError('Custos is sealed');
}

/**
 * Resolves a key reference, a key id or an alias name, to a key id. Front-ends
 * translate their own forms (ARNs, Vault key names) before calling.
 */
export async function resolveKeyId(ctx: RequestContext, ref: string): Promise<string> {
  // Front-ends pass what they parsed; a non-string must not reach string methods.
  if (typeof ref !== 'string') throw new InvalidInputError('a key id must be a string');
  if (isKeyId(ref)) return ref;
  if (!ref.startsWith('alias/')) throw new NotFoundError(`key ${ref} does not exist`);
  if (!isAliasName(ref)) throw new NotFoundError(`alias ${ref} does not exist`);
  const cached = ctx.kms.cache.aliasTarget(ref);
  if (cached !== undefined) return cached;
  const alias = await ctx.kms.store.getAlias(ref);
  if (alias === undefined) throw new NotFoundError(`alias ${ref} does not exist`);
  ctx.kms.cache.setAlias(ref, alias.keyId);
  return alias.keyId;
}

/**
 * The key a reference names when it is in memory (a key id or a cached alias),
 * without a promise: the hot path (encrypt, decrypt, sign on a warm key) then
 * takes no trip through the microtask queue. Undefined when only the store can
 * answer; loadKey does that (and says NotFound).
 */
export function cachedKey(ctx: RequestContext, ref: string): LoadedKey | undefined {
  assertUnsealed(ctx);
  if (typeof ref !== 'string') return undefined;
  const keyId = isKeyId(ref) ? ref : ctx.kms.cache.aliasTarget(ref);
  return keyId === undefined ? undefined : ctx.kms.cache.get(keyId);
}

/** The key a reference names, from the cache or the store. NotFound if absent. */
export async function loadKey(ctx: RequestContext, ref: string): Promise<LoadedKey> {
  assertUnsealed(ctx);
  const keyId = await resolveKeyId(ctx, ref);
  const cached = ctx.kms.cache.get(keyId);
  if (cached !== undefined) return cached;
  const loaded = await readKey(ctx, keyId);
  ctx.kms.cache.set(loaded);
  return loaded;
}

async function readKey(ctx: RequestContext, keyId: string): Promise<LoadedKey> {
  const { store } = ctx.kms;
  const key = await store.getKey(keyId);
  if (key === undefined) throw new NotFoundError(`key ${keyId} does not exist`);
  const [versions, aliases] = await Promise.all([
    store.getVersions(keyId),
    store.listAliases({ keyId }, { limit: 1000 }),
  ]);
  return { key, versions, aliases: aliases.items.map((a) => a.name) };
}
