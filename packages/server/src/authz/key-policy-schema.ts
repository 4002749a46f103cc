import { z } from 'zod';
import { ACTIONS } from '../core/actions.js';
import { InvalidInputError } from '../core/errors.js';
import type { KeyPolicy } from '../core/key-access.js';
import { describeIssues } from './policy-schema.js';
import { wildcard } from './wildcard.js';

const KMS_ACTIONS = ACTIONS.filter((action) => action.startsWith('kms:'));

// As in principal policies, a pattern that names no action is a typo that
// would otherwise allow or deny nothing without anyone noticing.
const actionPattern = z
  .string()
  .regex(/^(\*|kms:[A-Za-z*]+)$/, 'an action is `kms:Name`, with * wildcards')
  .refine(
    (pattern) => KMS_ACTIONS.some(wildcard(pattern)),
    'the action pattern matches no known action',
  );

const principalSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('principal'), id: z.string().min(1).max(512) }),
  z.strictObject({ type: z.literal('any') }),
  z.strictObject({ type: z.literal('account') }),
]);

const conditionSchema = z.strictObject({
  key: z.string().min(1).max(256),
  match: z.enum(['equals', 'like']),
  values: z.array(z.string().max(1024)).min(1).max(50),
});

const statementSchema = z.strictObject({
  sid: z
    .string()
    .max(256)
    .regex(/^[^\p{Cc}]*$/u, 'a sid has no control characters')
    .optional(),
  effect: z.enum(['allow', 'deny']),
  principals: z.array(principalSchema).min(1).max(100),
  actions: z.array(actionPattern).min(1).max(100),
  conditions: z.array(conditionSchema).max(50),
});

/** A key policy as the authorizer decides by it (translated by a door from its own language). */
export const keyPolicySchema = z.strictObject({
  statements: z.array(statementSchema).max(100),
}) satisfies z.ZodType<KeyPolicy>;

/**
 * Validates a key policy from any caller; failures are InvalidInput naming
 * the fields at fault.
 *
 * @example
 * const policy = parseKeyPolicy({ statements: [{ effect: 'allow', principals: [{ type: 'any' }], actions: ['kms:Encrypt'], conditions: [] }] });
 */
export function parseKeyPolicy(input: unknown): KeyPolicy {
  const result = keyPolicySchema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInputError(`invalid key policy: ${describeIssues(result.error)}`);
}
