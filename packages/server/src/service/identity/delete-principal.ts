import { z } from 'zod';
import { InvalidStateError } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, principalResource } from './authorize-identity.js';
import { identityState } from './identity-state.js';
import { parseInput, principalIdSchema } from './identity-input.js';
import { auditedTransaction } from '../audited.js';

export interface DeletePrincipalInput {
  readonly id: string;
}

const inputSchema = z.object({ id: principalIdSchema });

/** Deletes a principal with its tokens and certificate mappings; they stop working at once. */
export async function deletePrincipal(
  ctx: RequestContext,
  input: DeletePrincipalInput,
): Promise<void> {
  const { id } = parseInput(inputSchema, input);
  authorizeIdentity(ctx, 'custos:DeletePrincipal', principalResource(id));
  /* Precondition: the root principal stays; without it no one could administer the server. */
  if (id === 'root') throw new InvalidStateError('the root principal cannot be deleted');
  try {
    await auditedTransaction(ctx, (tx) => tx.deletePrincipal(id));
  } finally {
    identityState(ctx.kms).forgetAllTokens();
  }
}
