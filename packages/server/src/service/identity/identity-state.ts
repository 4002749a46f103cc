import type { JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { PrincipalRecord, TokenRecord } from '../../core/identity.js';
import type { Kms } from '../context.js';
import { TokenUseRecorder } from './token-use.js';

/** A token and its principal as last read, so a request need not read the store. */
export interface CachedToken {
  readonly token: TokenRecord;
  readonly principal: PrincipalRecord;
}

/**
 * How long a token read from the store is trusted without reading it again.
 * Revocation and principal changes made through this process drop entries at
 * once; the bound is for changes made by another node sharing the store.
 */
export const TOKEN_CACHE_TTL_MS = 5_000;

/** What the identity operations keep per service instance, beside the Kms. */
export class IdentityState {
  readonly tokens = new LRUCache<string, CachedToken>({ max: 10_000, ttl: TOKEN_CACHE_TTL_MS });
  readonly uses = new TokenUseRecorder();
  /** Remote key sets by JWKS URL: each caches keys and refetches on an unknown kid. */
  readonly jwks = new Map<string, JWTVerifyGetKey>();
  #epoch = 0;

  /** Bumped by every invalidation: a lookup that raced one must not cache what it read. */
  get epoch(): number {
    return this.#epoch;
  }

  forgetToken(tokenId: string): void {
    this.#epoch++;
    this.tokens.delete(tokenId);
  }

  /** After a principal changed or went: its tokens may be cached under any id. */
  forgetAllTokens(): void {
    this.#epoch++;
    this.tokens.clear();
  }
}

// Keyed by the Kms so that two service instances (tests, or one per data dir)
// never share credentials, without the Kms type having to know about identities.
const states = new WeakMap<Kms, IdentityState>();

export function identityState(kms: Kms): IdentityState {
  let state = states.get(kms);
  if (state === undefined) {
    state = new IdentityState();
    states.set(kms, state);
  }
  return state;
}
