import type {
  AccessKeyRecord,
  CertificateMapping,
  CertificateMatch,
  PolicyRecord,
  PrincipalRecord,
  TokenRecord,
} from '../core/identity.js';
import type { Alias, ImportToken, KeyRecord, KeyState, KeyVersion } from '../core/key.js';
import type { GrantRecord, KeyPolicyRecord } from '../core/key-access.js';
import type { AuditReader, AuditWriter } from './audit-port.js';

export type * from './audit-port.js';

/** Filters for listing keys; all given filters must match. */
export interface KeyFilter {
  readonly state?: KeyState;
  /** Keys carrying this tag (and this value, when given). */
  readonly tag?: { readonly key: string; readonly value?: string };
  /** Keys that have an alias starting with this prefix (e.g. `alias/app-`). */
  readonly aliasPrefix?: string;
}

export interface PageRequest {
  /** Opaque cursor from a previous page's `nextCursor`. */
  readonly cursor?: string;
  readonly limit: number;
}

export interface Page<T> {
  readonly items: T[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

export type DueKind = 'rotation' | 'deletion' | 'material-expiry';

export interface VersionUsage {
  readonly keyId: string;
  readonly version: number;
  readonly count: number;
}

/** A token's last use, recorded in batches (not a write per request). */
export interface TokenUse {
  /** The token's id (the hash of its secret). */
  readonly tokenId: string;
  readonly at: Date;
}

/** Identity reads: principals, tokens, policies, certificate mappings. */
export interface IdentityReader {
  getPrincipal(id: string): Promise<PrincipalRecord | undefined>;
  /** Ordered by id. */
  listPrincipals(page: PageRequest): Promise<Page<PrincipalRecord>>;
  /** By id: the hash of the secret, so a lookup never compares secrets. */
  getToken(id: string): Promise<TokenRecord | undefined>;
  getTokenByAccessor(accessor: string): Promise<TokenRecord | undefined>;
  /** Ordered by accessor; `principalId` limits to one principal's tokens. */
  listTokens(
    filter: { readonly principalId?: string },
    page: PageRequest,
  ): Promise<Page<TokenRecord>>;
  getPolicy(name: string): Promise<PolicyRecord | undefined>;
  /** Ordered by name. */
  listPolicies(page: PageRequest): Promise<Page<PolicyRecord>>;
  getCertificateMapping(
    match: CertificateMatch,
    value: string,
  ): Promise<CertificateMapping | undefined>;
  /** A principal's mappings, by match then value. */
  listCertificateMappings(principalId: string): Promise<CertificateMapping[]>;
}

/**
 * Identity writes. Principals and policies are optimistic like keys (the
 * record carries the `rowVersion` it was read at); tokens are immutable but
 * for revocation and last use.
 */
export interface IdentityWriter {
  /** AlreadyExistsError if the id is taken. */
  insertPrincipal(principal: PrincipalRecord): Promise<void>;
  /** Writes kind, policies and disabled; NotFound or Conflict; returns it with `rowVersion` + 1. */
  updatePrincipal(principal: PrincipalRecord): Promise<PrincipalRecord>;
  /** NotFoundError if missing; the principal's tokens and certificate mappings go with it. */
  deletePrincipal(id: string): Promise<void>;
  /** AlreadyExistsError if the id or accessor is taken; NotFoundError if the principal is missing. */
  insertToken(token: TokenRecord): Promise<void>;
  /** NotFoundError if missing. Revoking twice keeps the first time. Returns the stored token. */
  revokeToken(accessor: string, at: Date): Promise<TokenRecord>;
  /** AlreadyExistsError if the name is taken. */
  insertPolicy(policy: PolicyRecord): Promise<void>;
  /** Writes document and updatedAt; NotFound or Conflict; returns it with `rowVersion` + 1. */
  updatePolicy(policy: PolicyRecord): Promise<PolicyRecord>;
  /** NotFoundError if missing; ConflictError if `rowVersion` is given and the stored one differs. */
  deletePolicy(name: string, rowVersion?: number): Promise<void>;
  /** Inserts or replaces the mapping of that certificate; NotFoundError if the principal is missing. */
  putCertificateMapping(mapping: CertificateMapping): Promise<void>;
  /** NotFoundError if missing. */
  deleteCertificateMapping(match: CertificateMatch, value: string): Promise<void>;
}

/** Which grants to list; `keyId` and `retiringPrincipal` each pick an index. */
export interface GrantFilter {
  readonly keyId?: string;
  /** With `keyId` only. */
  readonly granteePrincipal?: string;
  /** With `keyId` only. */
  readonly name?: string;
  readonly retiringPrincipal?: string;
}

/** AWS door access keys, grants and key policies. */
export interface KeyAccessReader {
  getAccessKey(id: string): Promise<AccessKeyRecord | undefined>;
  /** Ordered by id; `principalId` limits to one principal's keys. */
  listAccessKeys(
    filter: { readonly principalId?: string },
    page: PageRequest,
  ): Promise<Page<AccessKeyRecord>>;
  getGrant(grantId: string): Promise<GrantRecord | undefined>;
  /** Ordered by grant id. */
  listGrants(filter: GrantFilter, page: PageRequest): Promise<Page<GrantRecord>>;
  /** How many grants a key has. */
  countGrants(keyId: string): Promise<number>;
  getKeyPolicy(keyId: string): Promise<KeyPolicyRecord | undefined>;
  /** Ordered by key id. */
  listKeyPolicies(page: PageRequest): Promise<Page<KeyPolicyRecord>>;
}

export interface KeyAccessWriter {
  /** AlreadyExistsError if the id is taken; NotFoundError if the principal is missing. */
  insertAccessKey(record: AccessKeyRecord): Promise<void>;
  /** NotFoundError if missing. */
  deleteAccessKey(id: string): Promise<void>;
  /** AlreadyExistsError if the id is taken; NotFoundError if the key is missing. */
  insertGrant(grant: GrantRecord): Promise<void>;
  /** NotFoundError if missing. */
  deleteGrant(grantId: string): Promise<void>;
  /** AlreadyExistsError if the key has one; NotFoundError if the key is missing. */
  insertKeyPolicy(record: KeyPolicyRecord): Promise<void>;
  /** Writes text, policy and updatedAt; NotFound or Conflict; returns it with `rowVersion` + 1. */
  updateKeyPolicy(record: KeyPolicyRecord): Promise<KeyPolicyRecord>;
}

/**
 * Reads. Every method is async so that a networked store (PostgreSQL) fits
 * the same port; nothing SQLite-specific leaks through it.
 */
export interface StoreReader extends IdentityReader, KeyAccessReader, AuditReader {
  getKey(id: string): Promise<KeyRecord | undefined>;
  /** Ordered by key id; cursors are opaque strings. */
  listKeys(filter: KeyFilter, page: PageRequest): Promise<Page<KeyRecord>>;
  /**
   * Keys whose due time is at or before `now`, oldest first: automatic
   * rotation (`nextRotationAt`, Enabled keys only), deletion (`deletionDate`,
   * PendingDeletion keys only) or imported-material expiry (`materialExpiresAt`).
   * The state conditions keep keys that cannot act now from filling the limit.
   */
  listDueKeys(kind: DueKind, now: Date, limit: number): Promise<KeyRecord[]>;
  /** Versions ascending. */
  getVersions(keyId: string): Promise<KeyVersion[]>;
  getVersion(keyId: string, version: number): Promise<KeyVersion | undefined>;
  getAlias(name: string): Promise<Alias | undefined>;
  /** Ordered by alias name; `keyId` limits to one key's aliases. */
  listAliases(filter: { readonly keyId?: string }, page: PageRequest): Promise<Page<Alias>>;
  getImportToken(id: string): Promise<ImportToken | undefined>;
  getMeta(name: string): Promise<Buffer | undefined>;
}

/**
 * Writes, available only inside `Store.transaction`. Updates are optimistic:
 * the record passed carries the `rowVersion` it was read at; if the stored row
 * moved on since, the write fails with ConflictError and nothing is written.
 *
 * Rules every adapter keeps (the conformance suite checks them): a write that
 * fails inside a transaction leaves the transaction usable (PostgreSQL needs a
 * savepoint per write for this); deleting a missing key or import token does
 * nothing; `updateVersion` never writes `usageCount`; `updateAlias` writes only
 * `keyId` and `updatedAt`; `putImportToken` replaces a token with the same id;
 * `updateKey` never changes `createdAt`; `addVersionUsage` ignores versions
 * that do not exist; deleting a key removes its grants and key policy, and
 * deleting a principal its access keys.
 */
export interface StoreWriter extends StoreReader, IdentityWriter, KeyAccessWriter, AuditWriter {
  /** AlreadyExistsError if the id is taken. */
  insertKey(key: KeyRecord): Promise<void>;
  /** Returns the record as stored, with `rowVersion` incremented. */
  updateKey(key: KeyRecord): Promise<KeyRecord>;
  /** Removes the key with its versions, aliases and import tokens. */
  deleteKey(id: string): Promise<void>;
  /** AlreadyExistsError if that version exists. */
  insertVersion(version: KeyVersion): Promise<void>;
  updateVersion(version: KeyVersion): Promise<KeyVersion>;
  /** AlreadyExistsError if the name is taken. */
  insertAlias(alias: Alias): Promise<void>;
  /** NotFoundError if the alias does not exist. */
  updateAlias(alias: Alias): Promise<void>;
  /** NotFoundError if the alias does not exist. */
  deleteAlias(name: string): Promise<void>;
  putImportToken(token: ImportToken): Promise<void>;
  deleteImportToken(id: string): Promise<void>;
  putMeta(name: string, value: Buffer): Promise<void>;
}

/** What one purge of expired credentials deleted. */
export interface PurgeCounts {
  readonly tokens: number;
  readonly importTokens: number;
}

export interface Store extends StoreReader {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: all its writes commit together or none do.
   * A thrown error rolls back and is rethrown unchanged.
   */
  transaction<T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T>;
  /** Adds to versions' usage counters; counters are statistics, not state, so no row version moves. */
  addVersionUsage(usage: readonly VersionUsage[]): Promise<void>;
  /**
   * Deletes up to `limit` tokens that expired or were revoked at or before
   * `before`, and up to `limit` import tokens that expired by then, oldest
   * first, in one transaction. Neither can be used any more, so this changes
   * no one's access.
   */
  purgeExpired(before: Date, limit: number): Promise<PurgeCounts>;
  /** Moves tokens' `lastUsedAt` forward (never back); unknown tokens are ignored. */
  recordTokenUse(uses: readonly TokenUse[]): Promise<void>;
  /** Keys per lifecycle state, from one aggregate query (metrics); states with no keys may be absent. */
  countKeysByState(): Promise<Partial<Record<KeyState, number>>>;
  /** Throws UnavailableError if the store does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
