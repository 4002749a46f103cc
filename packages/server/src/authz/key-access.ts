import type { AccessRequest } from '../core/access.js';
import {
  CONTEXT_OPERATIONS,
  type GrantConstraints,
  type GrantRecord,
  type KeyPolicy,
  type KeyPolicyContextCondition,
  type KeyPolicyPrincipal,
} from '../core/key-access.js';
import type { Principal } from '../core/principal.js';
import { type Matcher, anyOf } from './wildcard.js';

/** A grant as the authorizer checks it. */
export interface CompiledGrant {
  readonly label: string;
  readonly grantee: string;
  readonly operations: ReadonlySet<string>;
  readonly constraints: GrantConstraints | null;
}

interface CompiledKeyStatement {
  readonly label: string;
  readonly deny: boolean;
  readonly principals: readonly KeyPolicyPrincipal[];
  readonly action: Matcher;
  readonly conditions: (request: AccessRequest) => boolean;
}

export interface CompiledKeyPolicy {
  readonly statements: readonly CompiledKeyStatement[];
}

/** What a key's own policy says about one request. */
export interface KeyPolicyVerdict {
  /** The deny statement that applies, if any. */
  readonly deny?: string;
  /** The allow statement naming the caller that applies, if any. */
  readonly allow?: string;
  /** An allow for the account applies: the caller's own policies may decide. */
  readonly delegates: boolean;
}

export const grantLabel = (grantId: string): string => `grant/${grantId}`;

export function compileGrant(grant: GrantRecord): CompiledGrant {
  return {
    label: grantLabel(grant.grantId),
    grantee: grant.granteePrincipal,
    operations: new Set(grant.operations),
    constraints: grant.constraints,
  };
}

export function compileKeyPolicy(policy: KeyPolicy): CompiledKeyPolicy {
  return {
    statements: policy.statements.map((s, index) => ({
      label: `key-policy#${s.sid ?? String(index)}`,
      deny: s.effect === 'deny',
      principals: s.principals,
      action: anyOf(s.actions.map((a) => (a === '*' ? 'kms:*' : a))),
      conditions: compileContextConditions(s.conditions),
    })),
  };
}

/**
 * A key policy's verdict: denies name the principal, any principal or the
 * account (every principal); allows name the principal or any principal,
 * while an allow for the account only lets the caller's own policies decide,
 * as AWS lets IAM policies decide when the key policy allows the account.
 */
export function judgeKeyPolicy(
  policy: CompiledKeyPolicy,
  principal: Principal,
  request: AccessRequest,
): KeyPolicyVerdict {
  let allow: string | undefined;
  let delegates = false;
  for (const statement of policy.statements) {
    if (!statement.action(request.action) || !statement.conditions(request)) continue;
    for (const named of statement.principals) {
      if (statement.deny) {
        if (named.type === 'account' || names(named, principal)) {
          return { deny: statement.label, delegates: false };
        }
      } else if (named.type === 'account') {
        delegates = true;
      } else if (names(named, principal)) {
        allow ??= statement.label;
      }
    }
  }
  return { ...(allow !== undefined && { allow }), delegates };
}

function names(named: KeyPolicyPrincipal, principal: Principal): boolean {
  if (named.type === 'any') return principal.kind !== 'anonymous';
  return named.type === 'principal' && named.id === principal.id;
}

/** The first grant that allows this request, by its label. */
export function grantAllowing(
  grants: readonly CompiledGrant[],
  principal: Principal,
  request: AccessRequest,
): string | undefined {
  for (const grant of grants) {
    if (grant.grantee !== principal.id || !grant.operations.has(request.action)) continue;
    if (!CONTEXT_OPERATIONS.includes(request.action) || grant.constraints === null) {
      return grant.label;
    }
    if (constraintsHold(grant.constraints, request.encryptionContext ?? {})) return grant.label;
  }
  return undefined;
}

/**
 * AWS KMS grant constraints: the pairs' keys compare case-insensitively,
 * their values exactly. Equals wants exactly those pairs; Subset at least them.
 */
export function constraintsHold(
  constraints: GrantConstraints,
  context: Readonly<Record<string, string>>,
): boolean {
  const actual = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  const includes = (wanted: Readonly<Record<string, string>>) =>
    Object.entries(wanted).every(([k, v]) => actual.get(k.toLowerCase()) === v);
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = constraints;
  if (equals !== undefined && !(includes(equals) && actual.size === Object.keys(equals).length)) {
    return false;
  }
  return subset === undefined || includes(subset);
}

function compileContextConditions(
  conditions: readonly KeyPolicyContextCondition[],
): (request: AccessRequest) => boolean {
  if (conditions.length === 0) return () => true;
  const checks = conditions.map((condition) => {
    const matches = condition.values.map((value) =>
      condition.match === 'equals' ? (v: string) => v === value : stringLike(value),
    );
    return (context: Readonly<Record<string, string>>) => {
      // Own properties only: a context key named `constructor` must not find Object's.
      const value = Object.hasOwn(context, condition.key) ? context[condition.key] : undefined;
      return value !== undefined && matches.some((m) => m(value));
    };
  });
  // As in principal policies, a condition on a context that was not sent does not hold.
  return (request) => {
    const context = request.encryptionContext;
    return context !== undefined && checks.every((check) => check(context));
  };
}

/** IAM StringLike: `*` any run of characters, `?` any one character. */
function stringLike(pattern: string): Matcher {
  const source = Array.from(pattern, (ch) => {
    if (ch === '*') return '.*';
    if (ch === '?') return '.';
    return ch.replace(/[.+^${}()|[\]\\/*?]/g, '\\$&');
  }).join('');
  const re = new RegExp(`^${source}$`, 'su');
  return (value) => re.test(value);
}
