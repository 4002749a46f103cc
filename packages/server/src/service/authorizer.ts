import type { EncryptionContext } from '@custos/crypto';
import type { Action } from '../core/actions.js';
import type { Tags } from '../core/key.js';
import type { Principal } from '../core/principal.js';

/** What a caller asks to do, with the facts a policy may condition on. */
export interface AccessRequest {
  readonly action: Action;
  readonly keyId?: string;
  readonly aliases?: readonly string[];
  readonly tags?: Tags;
  readonly encryptionContext?: EncryptionContext;
  readonly sourceAddress?: string;
}

export interface AccessDecision {
  readonly allowed: boolean;
  /** The policy statement that decided, for the audit record. */
  readonly statement: string;
}

/** Decides whether a principal may perform a request. Pure and synchronous. */
export interface Authorizer {
  decide(principal: Principal, request: AccessRequest): AccessDecision;
}

/** Least privilege until policies are configured: only the root principal may act. */
export const rootOnlyAuthorizer: Authorizer = {
  decide(principal) {
    return principal.kind === 'root'
      ? { allowed: true, statement: 'root' }
      : { allowed: false, statement: 'default-deny' };
  },
};
