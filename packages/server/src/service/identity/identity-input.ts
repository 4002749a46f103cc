import { z } from 'zod';
import { describeIssues, policyNameSchema } from '../../authz/policy-schema.js';
import { InvalidInputError } from '../../core/errors.js';

/**
 * Principal ids: printable ASCII without spaces, e.g. `user/alice`,
 * `service/billing`, `oidc/https://idp.example/alice`. `root` and
 * `anonymous` name built-in principals and cannot be created.
 */
export const principalIdSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[\x21-\x7e]+$/, 'a principal id is printable ASCII without spaces');

export const newPrincipalIdSchema = principalIdSchema.refine(
  (id) => id !== 'root' && id !== 'anonymous',
  'root and anonymous are built-in principals',
);

/** Attached policy names; repeats are dropped, order kept. */
export const policyListSchema = z
  .array(policyNameSchema)
  .max(50)
  .transform((names) => [...new Set(names)]);

export const displayNameSchema = z
  .string()
  .max(128)
  .regex(/^[^\p{Cc}]*$/u, 'a display name has no control characters');

/** Ten years: long-lived service tokens are allowed, but never "forever" by accident of units. */
export const MAX_TOKEN_TTL_SECONDS = 10 * 365 * 86_400;

export const ttlSchema = z.number().int().min(1).max(MAX_TOKEN_TTL_SECONDS);

export const pageSchema = {
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(1024).optional(),
};

/** Validates service input; failures are InvalidInput naming fields, never values. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInputError(describeIssues(result.error));
}
