import { z } from 'zod';
import type { RequestContext } from '../context.js';
import { authorizeAttach, authorizeIdentity, principalResource } from './authorize-identity.js';
import { newPrincipalIdSchema, parseInput, policyListSchema } from './identity-input.js';
import { type PrincipalView, principalView } from './views.js';
import { auditedTransaction } from '../audited.js';

export interface CreatePrincipalInput {
  /** e.g. `user/alice`, `service/billing`. */
  readonly id: string;
  /** Default `user`. */
  readonly kind?: 'user' | 'service';
  readonly policies?: readonly string[];
}

const inputSchema = z.object({
  id: newPrincipalIdSchema,
  kind: z.enum(['user', 'service']).default('user'),
  policies: policyListSchema.default([]),
});

/**
 * Creates a principal. Attaching policies needs custos:AttachPolicy on each
 * besides custos:CreatePrincipal, and each must exist.
 *
 * @example
 * await createPrincipal(ctx, { id: 'service/billing', kind: 'service', policies: ['billing-keys'] });
 */
export async function createPrincipal(
  ctx: RequestContext,
  input: CreatePrincipalInput,
): Promise<PrincipalView> {
  const { id, kind, policies } = parseInput(inputSchema, input);
  authorizeIdentity(ctx, 'custos:CreatePrincipal', principalResource(id));
  await authorizeAttach(ctx, policies);
  const record = {
    id,
    kind,
    policies,
    disabled: false,
    createdAt: ctx.kms.clock.now(),
    rowVersion: 1,
  };
  await auditedTransaction(ctx, (tx) => tx.insertPrincipal(record));
  return principalView(record);
}
