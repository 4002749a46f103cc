import { z } from 'zod';
import {
  GRANT_OPERATIONS,
  type GrantConstraints,
  type GrantRecord,
} from '../../core/key-access.js';
import { principalIdSchema } from '../identity/identity-input.js';

/** AWS's limits: up to 8 pairs per constraint, values up to 384 characters. */
const constraintMap = z
  .record(z.string().min(1).max(384), z.string().max(384))
  .refine((map) => Object.keys(map).length <= 8, 'at most 8 encryption context pairs');

export const grantConstraintsSchema = z
  .strictObject({
    encryptionContextEquals: constraintMap.optional(),
    encryptionContextSubset: constraintMap.optional(),
  })
  .refine(
    (c) => c.encryptionContextEquals !== undefined || c.encryptionContextSubset !== undefined,
    'a constraint names encryptionContextEquals, encryptionContextSubset or both',
  ) satisfies z.ZodType<GrantConstraints>;

export const grantNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[a-zA-Z0-9:/_-]+$/, 'a grant name is letters, digits and : / _ -');

export const grantInputSchema = z.object({
  keyId: z.string().min(1).max(2048),
  granteePrincipal: principalIdSchema,
  retiringPrincipal: principalIdSchema.optional(),
  operations: z
    .array(z.enum(GRANT_OPERATIONS))
    .min(1)
    .max(GRANT_OPERATIONS.length)
    .transform((ops) => [...new Set(ops)]),
  constraints: grantConstraintsSchema.optional(),
  name: grantNameSchema.optional(),
});

/** A grant with the same parameters as another (CreateGrant retried by name). */
export function sameGrant(
  stored: GrantRecord,
  wanted: Pick<
    GrantRecord,
    'granteePrincipal' | 'retiringPrincipal' | 'operations' | 'constraints'
  >,
): boolean {
  const ops = new Set(stored.operations);
  return (
    stored.granteePrincipal === wanted.granteePrincipal &&
    stored.retiringPrincipal === wanted.retiringPrincipal &&
    ops.size === wanted.operations.length &&
    wanted.operations.every((op) => ops.has(op)) &&
    sameMap(
      stored.constraints?.encryptionContextEquals,
      wanted.constraints?.encryptionContextEquals,
    ) &&
    sameMap(
      stored.constraints?.encryptionContextSubset,
      wanted.constraints?.encryptionContextSubset,
    )
  );
}

function sameMap(
  a: Readonly<Record<string, string>> | undefined,
  b: Readonly<Record<string, string>> | undefined,
): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k])
  );
}
