import type { EncryptionContext } from '@custos/crypto';
import type { Action } from '../core/actions.js';
import { isKmsError } from '../core/errors.js';
import { accessDenied, authorize, authorizeMissing } from './authorize.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';
import { cachedKey, loadKey } from './key-loader.js';

/**
 * The key `ref` names, once the caller is allowed every one of `actions` on
 * it. A refusal says the same whether or not the key exists: a missing key is
 * NOT_FOUND only to a caller who would have been allowed on what the request
 * named (see authorizeMissing), and a denial names the key as the caller did,
 * so it never tells which key an alias stands for.
 *
 * @example
 * const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:Encrypt', input.encryptionContext);
 */
export async function loadAuthorizedKey(
  ctx: RequestContext,
  ref: string,
  actions: Action | readonly Action[],
  encryptionContext?: EncryptionContext,
): Promise<LoadedKey> {
  let loaded = cachedKey(ctx, ref);
  if (loaded === undefined) {
    try {
      loaded = await loadKey(ctx, ref);
    } catch (error) {
      if (isKmsError(error) && error.code === 'NOT_FOUND') {
        for (const action of listOf(actions)) authorizeMissing(ctx, action, ref, encryptionContext);
      }
      throw error;
    }
  }
  // One action is the hot path (encrypt, decrypt, sign): no array for it.
  if (typeof actions === 'string') authorizeAsNamed(ctx, actions, loaded, ref, encryptionContext);
  else for (const action of actions) authorizeAsNamed(ctx, action, loaded, ref, encryptionContext);
  return loaded;
}

function listOf(actions: Action | readonly Action[]): readonly Action[] {
  return typeof actions === 'string' ? [actions] : actions;
}

/** authorize(), with a denial naming the key as the request did. */
function authorizeAsNamed(
  ctx: RequestContext,
  action: Action,
  loaded: LoadedKey,
  ref: string,
  encryptionContext: EncryptionContext | undefined,
): void {
  try {
    authorize(ctx, action, loaded, encryptionContext);
  } catch (error) {
    if (isKmsError(error) && error.code === 'ACCESS_DENIED') {
      throw accessDenied(ctx, action, `key ${ref}`);
    }
    throw error;
  }
}
