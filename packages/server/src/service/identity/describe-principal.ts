import { z } from 'zod';
import { NotFoundError } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, principalResource } from './authorize-identity.js';
import { parseInput, principalIdSchema } from './identity-input.js';
import {
  type CertificateMappingView,
  type PrincipalView,
  mappingView,
  principalView,
} from './views.js';

export interface DescribePrincipalInput {
  readonly id: string;
}

export interface DescribePrincipalOutput extends PrincipalView {
  readonly certificates: readonly CertificateMappingView[];
}

const inputSchema = z.object({ id: principalIdSchema });

/** A principal with its certificate mappings (its tokens are listed by listTokens). */
export async function describePrincipal(
  ctx: RequestContext,
  input: DescribePrincipalInput,
): Promise<DescribePrincipalOutput> {
  const { id } = parseInput(inputSchema, input);
  authorizeIdentity(ctx, 'custos:DescribePrincipal', principalResource(id));
  const record = await ctx.kms.store.getPrincipal(id);
  if (record === undefined) throw new NotFoundError(`principal ${id} does not exist`);
  const mappings = await ctx.kms.store.listCertificateMappings(id);
  return { ...principalView(record), certificates: mappings.map(mappingView) };
}
