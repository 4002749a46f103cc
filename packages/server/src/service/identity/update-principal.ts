import { z } from 'zod';
import { InvalidInputError, InvalidStateError, NotFoundError } from '../../core/errors.js';
import { auditedTransaction } from '../audited.js';
import type { RequestContext } from '../context.js';
import { authorizeAttach, authorizeIdentity, principalResource } from './authorize-identity.js';
import { identityState } from './identity-state.js';
import { parseInput, policyListSchema, principalIdSchema } from './identity-input.js';
import { type PrincipalView, principalView } from './views.js';

export interface UpdatePrincipalInput {
  readonly id: string;
  readonly kind?: 'user' | 'service';
  /** Replaces the attached policies; those the principal did not hold are granted. */
  readonly policies?: readonly string[];
  /** A disabled principal's tokens, certificates and JWTs stop authenticating. */
  readonly disabled?: boolean;
}

const inputSchema = z.strictObject({
  id: principalIdSchema,
  kind: z.enum(['user', 'service']).optional(),
  policies: policyListSchema.optional(),
  disabled: z.boolean().optional(),
});

/**
 * Changes a principal's kind, policies or disabled flag in one optimistic
 * write (a concurrent change makes it CONFLICT). Needs custos:UpdatePrincipal
 * on `principal/<id>`, and custos:AttachPolicy on each policy it gains; every
 * policy named must exist. Takes effect at once on this node: cached tokens
 * are dropped.
 *
 * @example
 * await updatePrincipal(ctx, { id: 'service/billing', policies: ['billing-keys'], disabled: false });
 */
export async function updatePrincipal(
  ctx: RequestContext,
  input: UpdatePrincipalInput,
): Promise<PrincipalView> {
  const { id, ...changes } = parseInput(inputSchema, input);
  if (
    changes.kind === undefined &&
    changes.policies === undefined &&
    changes.disabled === undefined
  ) {
    throw new InvalidInputError('name at least one of kind, policies and disabled to change');
  }
  authorizeIdentity(ctx, 'custos:UpdatePrincipal', principalResource(id));
  /* Precondition: root keeps its powers; disabling or demoting it could lock every administrator out. */
  if (id === 'root') throw new InvalidStateError('the root principal cannot be changed');
  const current = await ctx.kms.store.getPrincipal(id);
  if (current === undefined) throw new NotFoundError(`principal ${id} does not exist`);
  if (changes.policies !== undefined)
    await authorizeAttach(ctx, changes.policies, current.policies);
  const next = {
    ...current,
    ...(changes.kind !== undefined && { kind: changes.kind }),
    ...(changes.policies !== undefined && { policies: changes.policies }),
    ...(changes.disabled !== undefined && { disabled: changes.disabled }),
  };
  try {
    return principalView(await auditedTransaction(ctx, (tx) => tx.updatePrincipal(next)));
  } finally {
    identityState(ctx.kms).forgetAllTokens();
  }
}
