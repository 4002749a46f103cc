import {
  type JWTPayload,
  type JWTVerifyGetKey,
  createRemoteJWKSet,
  decodeJwt,
  errors,
  jwtVerify,
} from 'jose';
import { policyNameSchema } from '../../authz/policy-schema.js';
import type { AuthenticatedPrincipal } from '../../core/access.js';
import { type KmsError, UnauthenticatedError, UnavailableError } from '../../core/errors.js';
import type { Kms } from '../context.js';
import { principalIdSchema } from './identity-input.js';
import { identityState } from './identity-state.js';
import { type OidcRealm, type OidcRealmConfig, oidcRealmSchema } from './oidc-realm.js';

const INVALID = 'the bearer token is not valid for any configured realm';

/**
 * The principal an OIDC JWT stands for: `oidc/<issuer>/<claim>`, with the
 * policies its `policiesClaim` lists or, failing that, those of a principal
 * record of that id. The realm is chosen by the token's `iss`; the signature
 * is checked against the realm's JWKS (cached; an unknown `kid` refetches it
 * once per cooldown, which is how provider key rotation is picked up).
 * Every bad token is one UnauthenticatedError; a provider whose key set
 * cannot be fetched is Unavailable.
 *
 * @example
 * await authenticateJwt(kms, jwt, [{ issuer, audience: 'custos', jwksUrl }]);
 */
export async function authenticateJwt(
  kms: Kms,
  jwt: string,
  realms: readonly OidcRealmConfig[],
): Promise<AuthenticatedPrincipal> {
  const realm = realmFor(jwt, realms);
  const payload = await verify(kms, jwt, realm);
  const subject = payload[realm.principalClaim];
  if (typeof subject !== 'string' || subject === '') throw new UnauthenticatedError(INVALID);
  const id = `oidc/${realm.issuer}/${subject}`;
  if (!principalIdSchema.safeParse(id).success) throw new UnauthenticatedError(INVALID);
  const record = await kms.store.getPrincipal(id);
  if (record?.disabled === true) throw new UnauthenticatedError(INVALID);
  const claimed =
    realm.policiesClaim === undefined ? undefined : policyNames(payload[realm.policiesClaim]);
  return {
    id,
    kind: record?.kind === 'service' ? 'service' : 'user',
    policies: claimed ?? record?.policies ?? [],
    credential: {
      type: 'jwt',
      id: typeof payload.jti === 'string' ? payload.jti : subject,
      expiresAt: payload.exp === undefined ? null : new Date(payload.exp * 1000),
    },
  };
}

// Realm configs are parsed once (defaults applied), keyed by the config object.
const parsedRealms = new WeakMap<OidcRealmConfig, OidcRealm>();

function realmFor(jwt: string, realms: readonly OidcRealmConfig[]): OidcRealm {
  let issuer: string | undefined;
  try {
    issuer = decodeJwt(jwt).iss;
  } catch {
    throw new UnauthenticatedError(INVALID);
  }
  // Unverified here: `iss` only picks the realm, whose own issuer is then enforced.
  for (const config of realms) {
    let realm = parsedRealms.get(config);
    if (realm === undefined) {
      realm = oidcRealmSchema.parse(config);
      parsedRealms.set(config, realm);
    }
    if (realm.issuer === issuer) return realm;
  }
  throw new UnauthenticatedError(INVALID);
}

async function verify(kms: Kms, jwt: string, realm: OidcRealm): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(jwt, keySet(kms, realm), {
      issuer: realm.issuer,
      audience: realm.audience,
      ...(realm.algorithms !== undefined && { algorithms: realm.algorithms }),
      currentDate: kms.clock.now(),
      clockTolerance: realm.clockToleranceSeconds,
      requiredClaims: ['exp'],
    });
    return payload;
  } catch (error) {
    throw jwtError(error);
  }
}

function keySet(kms: Kms, realm: OidcRealm): JWTVerifyGetKey {
  const cache = identityState(kms).jwks;
  let jwks = cache.get(realm.jwksUrl);
  if (jwks === undefined) {
    jwks = createRemoteJWKSet(new URL(realm.jwksUrl), {
      cooldownDuration: realm.jwksCooldownSeconds * 1000,
      cacheMaxAge: realm.jwksCacheMaxAgeSeconds * 1000,
      timeoutDuration: realm.jwksTimeoutMs,
    });
    cache.set(realm.jwksUrl, jwks);
  }
  return jwks;
}

/**
 * The token's fault is Unauthenticated; the provider's (key set unreachable,
 * not 200, not JSON, timed out) is Unavailable, so an outage is not reported
 * to callers as their bad credential.
 */
function jwtError(error: unknown): KmsError {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new UnavailableError('the identity provider key set could not be fetched', {
      cause: error,
    });
  }
  if (error instanceof errors.JOSEError) {
    // Generic JOSEError is what jose throws for a non-200 or non-JSON key set response.
    return error.code === 'ERR_JOSE_GENERIC'
      ? new UnavailableError('the identity provider key set could not be fetched', { cause: error })
      : new UnauthenticatedError(INVALID);
  }
  // fetch() itself failing (connection refused, DNS) surfaces as a TypeError.
  return new UnavailableError('the identity provider key set could not be fetched', {
    cause: error,
  });
}

/** Policy names from a claim: an array of names, or one space-separated string (as `scope`). */
function policyNames(claim: unknown): string[] | undefined {
  const names =
    typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : undefined;
  if (names === undefined) return undefined;
  return names.filter((n): n is string => policyNameSchema.safeParse(n).success);
}
