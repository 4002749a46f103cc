import type { EncryptionContext } from '@custos/crypto';
import type { Action } from './actions.js';
import type { PolicyRecord } from './identity.js';
import type { GrantRecord, KeyPolicyRecord } from './key-access.js';
import type { Tags } from './key.js';
import type { Principal } from './principal.js';

/** What a caller asks to do, with the facts a policy may condition on. */
export interface AccessRequest {
  readonly action: Action;
  readonly keyId?: string;
  readonly aliases?: readonly string[];
  readonly tags?: Tags;
  /**
   * A resource that is not a key, named `<type>/<id>`: `principal/user/alice`,
   * `policy/readers`, `token/<accessor>`. Absent for key requests and for
   * requests on no resource at all (kms:CreateKey, kms:ListKeys).
   */
  readonly resource?: string;
  readonly encryptionContext?: EncryptionContext;
  readonly sourceAddress?: string;
  /** The request carried a fresh nonce and timestamp that the door verified. */
  readonly replayProtected?: boolean;
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** The policy statement that decided (`policy#sid` or `policy#index`), for the audit record. */
  readonly statement: string;
}

/** Where an authorizer reads policy documents from (the Store fits it). */
export interface PolicySource {
  listPolicies(page: {
    readonly cursor?: string;
    readonly limit: number;
  }): Promise<{ readonly items: readonly PolicyRecord[]; readonly nextCursor: string | null }>;
}

type PageOf<T> = Promise<{ readonly items: readonly T[]; readonly nextCursor: string | null }>;

/** Where an authorizer reads grants and key policies from (the Store fits it). */
export interface KeyAccessSource {
  listGrants(
    filter: { readonly keyId?: string },
    page: { readonly cursor?: string; readonly limit: number },
  ): PageOf<GrantRecord>;
  listKeyPolicies(page: {
    readonly cursor?: string;
    readonly limit: number;
  }): PageOf<KeyPolicyRecord>;
  getKeyPolicy(keyId: string): Promise<KeyPolicyRecord | undefined>;
}

/** Decides whether a principal may perform a request. `decide` is pure and synchronous. */
export interface Authorizer {
  decide(principal: Principal, request: AccessRequest): AccessDecision;
  /**
   * Re-reads the policies it decides by. Authorizers that keep none (the
   * root-only one) leave it out; the service calls it at start and after
   * every policy write.
   */
  refresh?(source: PolicySource): Promise<void>;
  /**
   * Re-reads grants and key policies: one key's after a write to them, or
   * all of them (at start) when `keyId` is absent.
   */
  refreshKeyAccess?(source: KeyAccessSource, keyId?: string): Promise<void>;
}

/** How a caller proved who they are; kept on the principal a door authenticated. */
export interface Credential {
  readonly type: 'token' | 'jwt' | 'certificate';
  /** Token accessor, JWT `jti` (when present) or certificate fingerprint. */
  readonly id: string;
  readonly expiresAt: Date | null;
}

/** A principal as an authenticate* function returns it: with the credential it used. */
export interface AuthenticatedPrincipal extends Principal {
  readonly credential: Credential;
}

export function isAuthenticated(principal: Principal): principal is AuthenticatedPrincipal {
  return 'credential' in principal && typeof principal.credential === 'object';
}
