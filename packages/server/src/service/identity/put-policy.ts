import { z } from 'zod';
import { parsePolicyDocument, policyNameSchema } from '../../authz/policy-schema.js';
import { ConflictError } from '../../core/errors.js';
import type { PolicyRecord } from '../../core/identity.js';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, policyResource } from './authorize-identity.js';
import { parseInput } from './identity-input.js';
import { loadPolicies } from './load-policies.js';
import { type PolicyView, policyView } from './views.js';
import { auditedTransaction } from '../audited.js';

export interface PutPolicyInput {
  readonly name: string;
  /** A policy document (docs/policies.md); validated here whatever door it came through. */
  readonly document: unknown;
  /** Replace only if the stored policy is still at this version (HTTP If-Match). */
  readonly rowVersion?: number;
}

export interface PutPolicyOutput extends PolicyView {
  readonly created: boolean;
}

const inputSchema = z.object({
  name: policyNameSchema,
  document: z.unknown(),
  rowVersion: z.number().int().min(1).optional(),
});

/**
 * Creates or replaces a policy; it takes effect for every principal holding
 * it as soon as this returns. With `rowVersion`, a concurrent change (or a
 * policy that is gone) fails with Conflict instead of being overwritten.
 *
 * @example
 * await putPolicy(ctx, { name: 'app', document: { version: '2026-11-01', statements: [...] } });
 */
export async function putPolicy(
  ctx: RequestContext,
  input: PutPolicyInput,
): Promise<PutPolicyOutput> {
  const { name, document: raw, rowVersion } = parseInput(inputSchema, input);
  authorizeIdentity(ctx, 'custos:PutPolicy', policyResource(name));
  const document = parsePolicyDocument(raw);
  const updatedAt = ctx.kms.clock.now();
  const result = await auditedTransaction(ctx, async (tx) => {
    const stored = await tx.getPolicy(name);
    if (rowVersion !== undefined && stored?.rowVersion !== rowVersion) {
      throw new ConflictError(`policy ${name} is not at version ${String(rowVersion)}`);
    }
    if (stored === undefined) {
      const record: PolicyRecord = { name, document, updatedAt, rowVersion: 1 };
      await tx.insertPolicy(record);
      return { record, created: true };
    }
    const record = await tx.updatePolicy({ ...stored, document, updatedAt });
    return { record, created: false };
  });
  await loadPolicies(ctx.kms);
  return { ...policyView(result.record), created: result.created };
}
