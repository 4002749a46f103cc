import type { Authorizer } from '../core/access.js';

// The types live in core so that authz/ can implement them without importing
// service/; re-exported here so existing imports keep working.
export type {
  AccessDecision,
  AccessRequest,
  Authorizer,
  AuthenticatedPrincipal,
  Credential,
  PolicySource,
} from '../core/access.js';

/** Least privilege until policies are configured: only the root principal may act. */
export const rootOnlyAuthorizer: Authorizer = {
  decide(principal) {
    return principal.kind === 'root'
      ? { allowed: true, statement: 'root' }
      : { allowed: false, statement: 'default-deny' };
  },
};
