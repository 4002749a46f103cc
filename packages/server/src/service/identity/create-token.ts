import { z } from 'zod';
import { InvalidInputError, InvalidStateError, NotFoundError } from '../../core/errors.js';
import type { TokenRecord } from '../../core/identity.js';
import type { RequestContext } from '../context.js';
import { authorizeAttach, authorizeIdentity, principalResource } from './authorize-identity.js';
import {
  displayNameSchema,
  parseInput,
  policyListSchema,
  principalIdSchema,
  ttlSchema,
} from './identity-input.js';
import { newAccessor, newTokenSecret, tokenId } from './token-secret.js';
import { auditedTransaction } from '../audited.js';

export interface CreateTokenInput {
  readonly principal: string;
  /** Narrow the token to these policies (or carry them, for a principal without). */
  readonly policies?: readonly string[];
  /** Lifetime in seconds; without it the token lives until revoked. */
  readonly ttl?: number;
  readonly displayName?: string;
}

export interface CreateTokenOutput {
  /** The secret: shown this once, stored only as a hash. */
  readonly token: string;
  readonly accessor: string;
  readonly principal: string;
  readonly policies: readonly string[];
  readonly expiresAt: Date | null;
}

const inputSchema = z.object({
  principal: principalIdSchema,
  policies: policyListSchema.default([]),
  ttl: ttlSchema.optional(),
  displayName: displayNameSchema.default(''),
});

/**
 * Issues a token for a principal: `cus_` + 256 random bits, base64url. A
 * token that names policies acts with those instead of its principal's; any
 * the principal does not hold need custos:AttachPolicy (see authorizeAttach).
 *
 * @example
 * const { token, accessor } = await createToken(ctx, { principal: 'service/billing', ttl: 3600 });
 */
export async function createToken(
  ctx: RequestContext,
  input: CreateTokenInput,
): Promise<CreateTokenOutput> {
  const { principal: principalId, policies, ttl, displayName } = parseInput(inputSchema, input);
  authorizeIdentity(ctx, 'custos:CreateToken', principalResource(principalId));
  const principal = await ctx.kms.store.getPrincipal(principalId);
  if (principal === undefined) throw new NotFoundError(`principal ${principalId} does not exist`);
  if (principal.disabled) throw new InvalidStateError(`principal ${principalId} is disabled`);
  // A root token is allowed everything whatever it names, so narrowing it would only mislead.
  if (principal.kind === 'root' && policies.length > 0) {
    throw new InvalidInputError('a root token cannot be narrowed to policies; create a principal');
  }
  await authorizeAttach(ctx, policies, principal.policies);
  const secret = newTokenSecret();
  const now = ctx.kms.clock.now();
  const record: TokenRecord = {
    id: tokenId(secret),
    accessor: newAccessor(),
    principalId,
    policies,
    displayName,
    createdAt: now,
    expiresAt: ttl === undefined ? null : new Date(now.getTime() + ttl * 1000),
    revokedAt: null,
    lastUsedAt: null,
  };
  await auditedTransaction(ctx, (tx) => tx.insertToken(record));
  return {
    token: secret,
    accessor: record.accessor,
    principal: principalId,
    policies,
    expiresAt: record.expiresAt,
  };
}
