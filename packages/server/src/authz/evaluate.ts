import type { AccessDecision, AccessRequest } from '../core/access.js';
import type { PolicyDocument } from '../core/identity.js';
import { type ConditionCheck, compileConditions } from './conditions.js';
import { type Matcher, anyOf } from './wildcard.js';

/** A policy document under the name principals and tokens refer to it by. */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

interface CompiledStatement {
  readonly label: string;
  readonly deny: boolean;
  readonly action: Matcher;
  readonly resource: Matcher;
  /** `*` among the resources: matches requests on no resource (kms:CreateKey, kms:ListKeys). */
  readonly anyResource: boolean;
  readonly conditions: ConditionCheck;
}

export const DEFAULT_DENY = 'default-deny';

// Compiled once per document object: the cache hands out the same objects
// until a policy changes, so the hot path never re-parses a pattern.
const compiled = new WeakMap<PolicyDocument, Map<string, readonly CompiledStatement[]>>();

/**
 * Decides a request against policies: an explicit deny wins, else any allow,
 * else the default deny. The decision names the statement that decided as
 * `policy#sid` (or `policy#<index>` for a statement without a sid).
 *
 * @example
 * evaluate([{ name: 'app', document }], { action: 'kms:Encrypt', keyId })
 * // → { allowed: true, statement: 'app#encrypt' }
 */
export function evaluate(policies: readonly NamedPolicy[], request: AccessRequest): AccessDecision {
  const resources = requestResources(request);
  let allow: string | undefined;
  for (const policy of policies) {
    for (const statement of statementsOf(policy)) {
      if (allow !== undefined && !statement.deny) continue;
      if (!applies(statement, request, resources)) continue;
      if (statement.deny) return { allowed: false, statement: statement.label };
      allow = statement.label;
    }
  }
  return allow === undefined
    ? { allowed: false, statement: DEFAULT_DENY }
    : { allowed: true, statement: allow };
}

/** What a request's resource patterns are matched against. */
function requestResources(request: AccessRequest): readonly string[] {
  if (request.keyId !== undefined) {
    return [request.keyId, `key/${request.keyId}`, ...(request.aliases ?? [])];
  }
  return request.resource === undefined ? [] : [request.resource];
}

function applies(
  statement: CompiledStatement,
  request: AccessRequest,
  resources: readonly string[],
): boolean {
  if (!statement.action(request.action)) return false;
  const onResource =
    resources.length === 0 ? statement.anyResource : resources.some(statement.resource);
  return onResource && statement.conditions(request);
}

function statementsOf(policy: NamedPolicy): readonly CompiledStatement[] {
  let byName = compiled.get(policy.document);
  if (byName === undefined) {
    byName = new Map();
    compiled.set(policy.document, byName);
  }
  let statements = byName.get(policy.name);
  if (statements === undefined) {
    statements = policy.document.statements.map((s, index) => ({
      label: `${policy.name}#${s.sid ?? String(index)}`,
      deny: s.effect === 'deny',
      action: anyOf(s.actions),
      resource: anyOf(s.resources),
      anyResource: s.resources.includes('*'),
      conditions: compileConditions(s.conditions),
    }));
    byName.set(policy.name, statements);
  }
  return statements;
}
