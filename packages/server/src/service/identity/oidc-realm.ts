import { z } from 'zod';

/** Asymmetric JWS algorithms an OIDC provider signs with; HMAC is refused (no shared secrets). */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

/**
 * An external OIDC issuer whose JWTs Custos accepts as bearer tokens. Realms
 * live in the config file (`oidc.realms`), not the store.
 *
 * @example
 * oidcRealmSchema.parse({ issuer: 'https://idp.example', audience: 'custos',
 *   jwksUrl: 'https://idp.example/.well-known/jwks.json', policiesClaim: 'custos_policies' });
 */
export const oidcRealmSchema = z.strictObject({
  /** Must equal the token's `iss` exactly. */
  issuer: z.string().min(1).max(1024),
  /** The token's `aud` must contain one of these. */
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  jwksUrl: z.url({ protocol: /^https?$/ }),
  /** The claim naming the caller; the principal is `oidc/<issuer>/<value>`. */
  principalClaim: z.string().min(1).default('sub'),
  /** A claim listing policy names (array, or space-separated string); else the principal record's. */
  policiesClaim: z.string().min(1).optional(),
  algorithms: z.array(z.enum(JWT_ALGORITHMS)).min(1).optional(),
  clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
  /** After a fetch, an unknown `kid` refetches the key set only once this long has passed. */
  jwksCooldownSeconds: z.number().min(0).max(3600).default(30),
  /** A cached key set is refetched when older than this. */
  jwksCacheMaxAgeSeconds: z.number().min(1).max(86_400).default(600),
  jwksTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
});

/** A realm as written in the config (defaults optional). */
export type OidcRealmConfig = z.input<typeof oidcRealmSchema>;
/** A realm with defaults applied. */
export type OidcRealm = z.output<typeof oidcRealmSchema>;
