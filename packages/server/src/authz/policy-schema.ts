import { z } from 'zod';
import { ACTIONS } from '../core/actions.js';
import { InvalidInputError } from '../core/errors.js';
import { POLICY_VERSION, type PolicyDocument } from '../core/identity.js';
import { isCidr } from './cidr.js';
import { wildcard } from './wildcard.js';

/** Policy names: what principals and tokens refer to, and the `{name}` of /policies/{name}. */
export const policyNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a policy name is 1-128 letters, digits, _ . -');

// A pattern naming no action at all is a typo (`kms:Encrpyt`), which would
// otherwise allow or deny nothing without anyone noticing.
const actionPattern = z
  .string()
  .regex(
    /^(\*|(kms|custos):[A-Za-z*]+)$/,
    'an action is `*` or `kms:Name`/`custos:Name`, with * wildcards',
  )
  .refine(
    (pattern) => ACTIONS.some(wildcard(pattern)),
    'the action pattern matches no known action',
  );

const resourcePattern = z.string().min(1).max(1024);

const stringMap = z
  .record(z.string().min(1).max(256), z.string().max(1024))
  .refine((map) => Object.keys(map).length <= 50, 'at most 50 entries');

const conditionsSchema = z.strictObject({
  tags: stringMap.optional(),
  encryptionContext: stringMap.optional(),
  sourceAddress: z
    .array(z.string().refine(isCidr, 'not a CIDR block or IP address'))
    .min(1)
    .max(100)
    .optional(),
  requireReplayProtection: z.boolean().optional(),
});

const statementSchema = z.strictObject({
  sid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a sid is 1-64 letters, digits, _ -')
    .optional(),
  effect: z.enum(['allow', 'deny']),
  actions: z.array(actionPattern).min(1).max(100),
  resources: z.array(resourcePattern).min(1).max(100),
  conditions: conditionsSchema.optional(),
});

/** The policy document (docs/policies.md); unknown fields are refused, so a typo is not ignored. */
export const policyDocumentSchema = z
  .strictObject({
    version: z.literal(POLICY_VERSION),
    statements: z.array(statementSchema).max(100),
  })
  .refine((doc) => {
    const sids = doc.statements.flatMap((s) => (s.sid === undefined ? [] : [s.sid]));
    return new Set(sids).size === sids.length;
  }, 'statement sids must be unique within a policy') satisfies z.ZodType<PolicyDocument>;

/**
 * Validates a policy document from any caller; failures are InvalidInput
 * naming the fields at fault (never echoing their values).
 *
 * @example
 * const doc = parsePolicyDocument(JSON.parse(body));
 */
export function parsePolicyDocument(input: unknown): PolicyDocument {
  const result = policyDocumentSchema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInputError(`invalid policy document: ${describeIssues(result.error)}`);
}

/** The first few zod issues as `path: message`, for an InvalidInput message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}
