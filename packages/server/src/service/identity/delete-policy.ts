import { z } from 'zod';
import { policyNameSchema } from '../../authz/policy-schema.js';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, policyResource } from './authorize-identity.js';
import { parseInput } from './identity-input.js';
import { loadPolicies } from './load-policies.js';
import { auditedTransaction } from '../audited.js';

export interface DeletePolicyInput {
  readonly name: string;
  /** Delete only if the stored policy is still at this version. */
  readonly rowVersion?: number;
}

const inputSchema = z.object({
  name: policyNameSchema,
  rowVersion: z.number().int().min(1).optional(),
});

/**
 * Deletes a policy. Principals and tokens that name it keep the name, which
 * then grants nothing (and grants again if a policy of that name returns).
 */
export async function deletePolicy(ctx: RequestContext, input: DeletePolicyInput): Promise<void> {
  const { name, rowVersion } = parseInput(inputSchema, input);
  authorizeIdentity(ctx, 'custos:DeletePolicy', policyResource(name));
  await auditedTransaction(ctx, (tx) => tx.deletePolicy(name, rowVersion));
  await loadPolicies(ctx.kms);
}
