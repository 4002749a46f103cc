import type { AuthenticatedPrincipal } from '../../core/access.js';
import { UnauthenticatedError } from '../../core/errors.js';
import type { Kms } from '../context.js';
import { type CachedToken, type IdentityState, identityState } from './identity-state.js';
import { looksLikeToken, tokenId } from './token-secret.js';

/** One message for every failure: callers must not learn whether a token exists. */
const INVALID = 'the token is invalid, expired or revoked';

/**
 * The principal a Custos token stands for. The token is looked up by the
 * SHA-256 of the secret, so no secret is ever compared; unknown, malformed,
 * expired and revoked tokens, and tokens of disabled principals, all fail
 * with the same UnauthenticatedError. Last use is recorded in memory and
 * written in batches (flushTokenUse).
 *
 * @example
 * request.principal = await authenticateToken(kms, bearer);
 */
export async function authenticateToken(kms: Kms, secret: string): Promise<AuthenticatedPrincipal> {
  if (!looksLikeToken(secret)) throw new UnauthenticatedError(INVALID);
  const id = tokenId(secret);
  const state = identityState(kms);
  // A cached token is answered without the await of a store read.
  const { token, principal } = state.tokens.get(id) ?? (await lookup(kms, state, id));
  const now = kms.clock.now();
  if (
    token.revokedAt !== null ||
    (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime()) ||
    principal.disabled
  ) {
    throw new UnauthenticatedError(INVALID);
  }
  const { uses } = state;
  uses.record(token.id, now);
  if (uses.due(now)) {
    // Statistics: a failed write keeps the times pending for the next flush.
    uses.flush(kms.store, now).catch(() => undefined);
  }
  return {
    id: principal.id,
    kind: principal.kind,
    policies: token.policies.length > 0 ? token.policies : principal.policies,
    credential: { type: 'token', id: token.accessor, expiresAt: token.expiresAt },
  };
}

/** Reads a token the cache does not hold, and caches it. */
async function lookup(kms: Kms, state: IdentityState, id: string): Promise<CachedToken> {
  const epoch = state.epoch;
  const token = await kms.store.getToken(id);
  if (token === undefined) throw new UnauthenticatedError(INVALID);
  const principal = await kms.store.getPrincipal(token.principalId);
  if (principal === undefined) throw new UnauthenticatedError(INVALID);
  const entry = { token, principal };
  // A revocation that ran while we read may have read-then-dropped this very
  // entry; caching what we read would bring the revoked token back.
  if (state.epoch === epoch) state.tokens.set(id, entry);
  return entry;
}

/** Writes pending last-use times now (at shutdown, or before reading them elsewhere). */
export async function flushTokenUse(kms: Kms): Promise<void> {
  await identityState(kms).uses.flush(kms.store, kms.clock.now());
}
