import type {
  AccessDecision,
  AccessRequest,
  Authorizer,
  KeyAccessSource,
  PolicySource,
} from '../core/access.js';
import type { Principal } from '../core/principal.js';
import { DEFAULT_DENY, evaluate, type NamedPolicy } from './evaluate.js';
import { KeyAccessCache } from './key-access-cache.js';
import { grantAllowing, judgeKeyPolicy } from './key-access.js';
import { PolicyCache } from './policy-cache.js';
import { policyDocumentSchema } from './policy-schema.js';

const PAGE = 500;

/**
 * The Authorizer of a running server: the root principal may do everything;
 * everyone else gets what the policies attached to them (or to their token)
 * allow, decided by `evaluate` against the in-memory PolicyCache.
 *
 * @example
 * const authorizer = new PolicyAuthorizer();
 * const kms = createKms({ store, keyring, authorizer });
 * await loadPolicies(kms); // fills the cache; policy writes refresh it
 */
export class PolicyAuthorizer implements Authorizer {
  readonly cache = new PolicyCache();
  readonly keyAccess = new KeyAccessCache();
  /** Stored policies that failed validation when last loaded: they allow nothing. */
  invalid: readonly string[] = [];
  #started = 0;
  #applied = 0;

  decide(principal: Principal, request: AccessRequest): AccessDecision {
    if (principal.kind === 'root') return { allowed: true, statement: 'root' };
    const own = evaluate(this.cache.resolve(principal.policies), request);
    if (request.keyId === undefined) return own;
    return this.#withKeyAccess(principal, request, request.keyId, own);
  }

  /**
   * A key's policy and grants join the principal's own policies (docs/policies.md):
   * any deny wins; then an allow of the key policy naming the caller, then a
   * grant; the caller's own allow counts only while the key has no policy or
   * its policy allows the account that action (AWS: the key policy delegates
   * to IAM); else the default deny.
   */
  #withKeyAccess(
    principal: Principal,
    request: AccessRequest,
    keyId: string,
    own: AccessDecision,
  ): AccessDecision {
    const policy = this.keyAccess.policyOf(keyId);
    const grants = this.keyAccess.grantsOf(keyId);
    if (policy === undefined && grants === undefined) return own;
    const denied = !own.allowed && own.statement !== DEFAULT_DENY;
    if (denied) return own;
    const verdict = policy === undefined ? undefined : judgeKeyPolicy(policy, principal, request);
    if (verdict?.deny !== undefined) return { allowed: false, statement: verdict.deny };
    if (verdict?.allow !== undefined) return { allowed: true, statement: verdict.allow };
    const grant = grants === undefined ? undefined : grantAllowing(grants, principal, request);
    if (grant !== undefined) return { allowed: true, statement: grant };
    if (own.allowed && (verdict === undefined || verdict.delegates)) return own;
    return { allowed: false, statement: DEFAULT_DENY };
  }

  /** Loads grants and key policies: one key's after a write to them, or all at start. */
  refreshKeyAccess(source: KeyAccessSource, keyId?: string): Promise<void> {
    return keyId === undefined
      ? this.keyAccess.loadAll(source)
      : this.keyAccess.loadKey(source, keyId);
  }

  /**
   * Reads every policy from `source` and swaps them in. Refreshes may
   * overlap (two policy writes in quick succession); one that started before
   * another already applied would carry older data, so it is dropped.
   */
  async refresh(source: PolicySource): Promise<void> {
    const generation = ++this.#started;
    const loaded: NamedPolicy[] = [];
    const invalid: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await source.listPolicies({
        limit: PAGE,
        ...(cursor !== undefined && { cursor }),
      });
      for (const record of page.items) {
        // Stored documents were validated when written; one that no longer
        // parses (edited by hand, or from a newer Custos) must not half-apply.
        const parsed = policyDocumentSchema.safeParse(record.document);
        if (parsed.success) loaded.push({ name: record.name, document: parsed.data });
        else invalid.push(record.name);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    if (generation < this.#applied) return;
    this.#applied = generation;
    this.cache.replace(loaded);
    this.invalid = invalid;
  }

  /**
   * Whether some statement that could allow this principal anything demands
   * replay protection, so a door can ask for a nonce up front and say why.
   */
  requiresReplayProtection(principal: Principal): boolean {
    if (principal.kind === 'root') return false;
    return this.cache
      .resolve(principal.policies)
      .some((policy) =>
        policy.document.statements.some(
          (s) => s.effect === 'allow' && s.conditions?.requireReplayProtection === true,
        ),
      );
  }
}
