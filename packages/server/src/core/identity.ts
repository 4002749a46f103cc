/**
 * Identities as the store keeps them: principals, their tokens, policy
 * documents and client-certificate mappings. OIDC realms live in the config,
 * not here.
 */

/** The policy language version this Custos reads (docs/policies.md). */
export const POLICY_VERSION = '2026-11-01';

export interface PolicyConditions {
  /** The key must carry each tag with a matching value (`*` wildcards allowed). */
  readonly tags?: Readonly<Record<string, string>>;
  /** The request's encryption context must hold each pair (`*` wildcards allowed). */
  readonly encryptionContext?: Readonly<Record<string, string>>;
  /** The caller's address must fall in one of these CIDR blocks (IPv4 or IPv6). */
  readonly sourceAddress?: readonly string[];
  /** When true, the statement only applies to requests with a verified nonce and timestamp. */
  readonly requireReplayProtection?: boolean;
}

export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'allow' | 'deny';
  /** Action names or patterns: `kms:Encrypt`, `kms:Generate*`, `kms:*`, `*`. */
  readonly actions: readonly string[];
  /** `*`, key ids, `key/*`, `alias/name`, `alias/prefix*`, `principal/…`, `policy/…`. */
  readonly resources: readonly string[];
  readonly conditions?: PolicyConditions;
}

export interface PolicyDocument {
  readonly version: typeof POLICY_VERSION;
  readonly statements: readonly PolicyStatement[];
}

export interface PolicyRecord {
  readonly name: string;
  readonly document: PolicyDocument;
  readonly updatedAt: Date;
  /** Optimistic concurrency counter, bumped by every write. */
  readonly rowVersion: number;
}

export const PRINCIPAL_KINDS = ['root', 'user', 'service'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

export interface PrincipalRecord {
  /** e.g. `user/alice`, `service/billing`, `oidc/<issuer>/<sub>`; `root` for the root principal. */
  readonly id: string;
  readonly kind: PrincipalKind;
  /** Names of the policies attached. */
  readonly policies: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: Date;
  readonly rowVersion: number;
}

/** A token as stored: only the SHA-256 of its secret, never the secret. */
export interface TokenRecord {
  /** Hex SHA-256 of the secret: what a presented token is looked up by. */
  readonly id: string;
  /** Short public id to list and revoke a token by without knowing its secret. */
  readonly accessor: string;
  readonly principalId: string;
  /** When non-empty, the token acts with these policies instead of its principal's. */
  readonly policies: readonly string[];
  readonly displayName: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

export const CERTIFICATE_MATCHES = ['fingerprint', 'subject'] as const;
export type CertificateMatch = (typeof CERTIFICATE_MATCHES)[number];

/** Maps a client certificate (by SHA-256 fingerprint or subject DN) to a principal. */
export interface CertificateMapping {
  readonly match: CertificateMatch;
  /** Lower-case hex fingerprint without colons, or the subject DN as given. */
  readonly value: string;
  readonly principalId: string;
  readonly createdAt: Date;
}

/**
 * An access key of the AWS KMS door (SigV4). SigV4 is an HMAC keyed by the
 * secret itself, so unlike a token's the secret must be recoverable: the
 * store keeps it sealed under the domain key, never in the clear.
 */
export interface AccessKeyRecord {
  /** `AKIA` and 16 base32 characters, as AWS shapes them. */
  readonly accessKeyId: string;
  readonly principalId: string;
  /** The secret, sealed under the domain key (purpose `access-key:<id>`). */
  readonly wrappedSecret: Buffer;
  readonly createdAt: Date;
}
