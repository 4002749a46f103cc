import { z } from 'zod';
import { policyNameSchema } from '../../authz/policy-schema.js';
import { NotFoundError } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, policyResource } from './authorize-identity.js';
import { parseInput } from './identity-input.js';
import { type PolicyView, policyView } from './views.js';

export interface GetPolicyInput {
  readonly name: string;
}

const inputSchema = z.object({ name: policyNameSchema });

export async function getPolicy(ctx: RequestContext, input: GetPolicyInput): Promise<PolicyView> {
  const { name } = parseInput(inputSchema, input);
  authorizeIdentity(ctx, 'custos:GetPolicy', policyResource(name));
  const record = await ctx.kms.store.getPolicy(name);
  if (record === undefined) throw new NotFoundError(`policy ${name} does not exist`);
  return policyView(record);
}
