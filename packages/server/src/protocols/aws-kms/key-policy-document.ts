import { keyPolicySchema } from '../../authz/key-policy-schema.js';
import { describeIssues } from '../../authz/policy-schema.js';
import { ACTIONS } from '../../core/actions.js';
import type {
  KeyPolicy,
  KeyPolicyContextCondition,
  KeyPolicyPrincipal,
  KeyPolicyStatement,
} from '../../core/key-access.js';
import { type AwsPartition, keyArn } from './arn.js';
import { AwsProtocolError } from './aws-errors.js';
import { principalOf } from './principal-arn.js';

const malformed = (message: string) =>
  new AwsProtocolError('MalformedPolicyDocumentException', message);

const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);
const CONTEXT_KEY = /^kms:encryptioncontext:(.+)$/i;
const OPERATORS = { StringEquals: 'equals', StringLike: 'like' } as const;
const KMS_ACTIONS = new Map(
  ACTIONS.filter((a) => a.startsWith('kms:')).map((a) => [a.toLowerCase(), a]),
);

/**
 * Translates an AWS key policy document into what the authorizer decides by.
 * What Custos cannot enforce is refused with MalformedPolicyDocumentException
 * naming it, never ignored: NotPrincipal/NotAction/NotResource, principals
 * of other accounts or services, resources other than this key, condition
 * keys other than kms:EncryptionContext:<key>, operators other than
 * StringEquals and StringLike.
 */
export function translateKeyPolicy(p: AwsPartition, keyRef: string, text: string): KeyPolicy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformed('The policy is not valid JSON.');
  }
  if (!isObject(document)) throw malformed('The policy must be a JSON object.');
  for (const field of Object.keys(document)) {
    if (field !== 'Version' && field !== 'Id' && field !== 'Statement') {
      throw malformed(`The policy field ${field} is not supported.`);
    }
  }
  if (document.Version !== '2012-10-17' && document.Version !== '2008-10-17') {
    throw malformed('The policy Version must be "2012-10-17".');
  }
  const statements = listOf(document.Statement, 'Statement');
  const policy = {
    statements: statements.map((s, i) => translateStatement(p, keyRef, s, i)),
  };
  const checked = keyPolicySchema.safeParse(policy);
  if (!checked.success) throw malformed(describeIssues(checked.error));
  return checked.data;
}

function translateStatement(
  p: AwsPartition,
  keyRef: string,
  raw: unknown,
  index: number,
): KeyPolicyStatement {
  const where = `Statement ${String(index)}`;
  if (!isObject(raw)) throw malformed(`${where} must be a JSON object.`);
  for (const field of Object.keys(raw)) {
    if (!STATEMENT_FIELDS.has(field)) {
      throw malformed(`${where}: ${field} is not supported; use Principal, Action and Resource.`);
    }
  }
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') {
    throw malformed(`${where}: Effect must be "Allow" or "Deny".`);
  }
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string') {
    throw malformed(`${where}: Sid must be a string.`);
  }
  checkResources(p, keyRef, raw.Resource, where);
  return {
    ...(raw.Sid !== undefined && raw.Sid !== '' && { sid: raw.Sid }),
    effect: raw.Effect === 'Allow' ? 'allow' : 'deny',
    principals: principals(p, raw.Principal, where),
    actions: listOf(raw.Action, `${where}: Action`).map((a) => action(a, where)),
    conditions: conditions(raw.Condition, where),
  };
}

function principals(p: AwsPartition, raw: unknown, where: string): KeyPolicyPrincipal[] {
  if (raw === '*') return [{ type: 'any' }];
  if (!isObject(raw)) throw malformed(`${where}: Principal must be "*" or {"AWS": ...}.`);
  for (const kind of Object.keys(raw)) {
    if (kind !== 'AWS') {
      throw malformed(
        `${where}: ${kind} principals are not supported; name Custos principals under "AWS".`,
      );
    }
  }
  return listOf(raw.AWS, `${where}: Principal.AWS`).map((text) => {
    if (text === '*') return { type: 'any' };
    const named = typeof text === 'string' ? principalOf(p, text) : undefined;
    if (named === undefined) {
      throw malformed(`${where}: Policy contains a statement with one or more invalid principals.`);
    }
    return named;
  });
}

function action(raw: unknown, where: string): string {
  if (typeof raw !== 'string') throw malformed(`${where}: an Action must be a string.`);
  if (raw === '*') return 'kms:*';
  // IAM action names are case-insensitive; Custos's patterns are not.
  return raw.includes('*') ? raw : (KMS_ACTIONS.get(raw.toLowerCase()) ?? raw);
}

/** `"*"` is the key the policy is on; so is its ARN, when the request named the key by id or ARN. */
function checkResources(p: AwsPartition, keyRef: string, raw: unknown, where: string): void {
  const own = keyRef.startsWith('alias/') ? undefined : keyArn(p, keyRef);
  for (const resource of listOf(raw, `${where}: Resource`)) {
    if (resource !== '*' && resource !== own) {
      throw malformed(`${where}: a key policy's Resource is "*" (this key).`);
    }
  }
}

function conditions(raw: unknown, where: string): KeyPolicyContextCondition[] {
  if (raw === undefined) return [];
  if (!isObject(raw)) throw malformed(`${where}: Condition must be a JSON object.`);
  const out: KeyPolicyContextCondition[] = [];
  for (const [operator, block] of Object.entries(raw)) {
    const match = Object.hasOwn(OPERATORS, operator)
      ? OPERATORS[operator as keyof typeof OPERATORS]
      : undefined;
    if (match === undefined) {
      throw malformed(
        `${where}: the condition operator ${operator} is not supported; use StringEquals or StringLike.`,
      );
    }
    if (!isObject(block)) throw malformed(`${where}: ${operator} must be a JSON object.`);
    for (const [name, values] of Object.entries(block)) {
      const key = CONTEXT_KEY.exec(name)?.[1];
      if (key === undefined) {
        throw malformed(
          `${where}: the condition key ${name} is not supported; use kms:EncryptionContext:<key>.`,
        );
      }
      const list = listOf(values, `${where}: ${name}`);
      if (!list.every((v): v is string => typeof v === 'string')) {
        throw malformed(`${where}: ${name} values must be strings.`);
      }
      out.push({ key, match, values: list });
    }
  }
  return out;
}

/** IAM allows one value or a list wherever a list goes. */
function listOf(raw: unknown, what: string): unknown[] {
  if (raw === undefined) throw malformed(`${what} is missing.`);
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw malformed(`${what} is empty.`);
  return list;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
