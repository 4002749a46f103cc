import { z } from 'zod';
import type { GrantRecord } from '../../core/key-access.js';
import { authorize } from '../authorize.js';
import type { RequestContext } from '../context.js';
import { parseInput, principalIdSchema } from '../identity/identity-input.js';
import { assertUnsealed } from '../key-loader.js';
import { authorizeOnGrant, loadKeyFor } from './grant-authorization.js';
import { GRANT_ID_RE } from './grant-token.js';

export interface ListGrantsInput {
  readonly keyId: string;
  readonly grantId?: string;
  readonly granteePrincipal?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ListRetirableGrantsInput {
  readonly retiringPrincipal: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface GrantPage {
  readonly grants: GrantRecord[];
  readonly nextCursor: string | null;
}

const page = {
  limit: z.number().int().min(1).max(1000).optional(),
  cursor: z.string().min(1).max(1024).optional(),
};

const listSchema = z.object({
  keyId: z.string().min(1).max(2048),
  grantId: z.string().regex(GRANT_ID_RE, 'a grant id is 64 hex digits').optional(),
  granteePrincipal: principalIdSchema.optional(),
  ...page,
});

const retirableSchema = z.object({ retiringPrincipal: principalIdSchema, ...page });

/**
 * One key's grants, by grant id (AWS KMS ListGrants): needs kms:ListGrants
 * on the key.
 *
 * @example
 * const { grants } = await listGrants(ctx, { keyId });
 */
export async function listGrants(ctx: RequestContext, input: ListGrantsInput): Promise<GrantPage> {
  const parsed = parseInput(listSchema, input);
  const loaded = await loadKeyFor(ctx, parsed.keyId, 'kms:ListGrants');
  authorizeOnGrant(ctx, 'kms:ListGrants', loaded, parsed.keyId);
  const keyId = loaded.key.id;
  if (parsed.grantId !== undefined) {
    const grant = await ctx.kms.store.getGrant(parsed.grantId);
    const matches =
      grant?.keyId === keyId &&
      (parsed.granteePrincipal === undefined || grant.granteePrincipal === parsed.granteePrincipal);
    return { grants: matches ? [grant] : [], nextCursor: null };
  }
  const listed = await ctx.kms.store.listGrants(
    {
      keyId,
      ...(parsed.granteePrincipal !== undefined && { granteePrincipal: parsed.granteePrincipal }),
    },
    {
      limit: parsed.limit ?? ctx.kms.config.defaultPageSize,
      ...(parsed.cursor !== undefined && { cursor: parsed.cursor }),
    },
  );
  return { grants: listed.items, nextCursor: listed.nextCursor };
}

/**
 * The grants a principal may retire, across keys (AWS KMS
 * ListRetirableGrants): needs kms:ListRetirableGrants on `*`.
 *
 * @example
 * const { grants } = await listRetirableGrants(ctx, { retiringPrincipal: 'service/app' });
 */
export async function listRetirableGrants(
  ctx: RequestContext,
  input: ListRetirableGrantsInput,
): Promise<GrantPage> {
  const parsed = parseInput(retirableSchema, input);
  assertUnsealed(ctx);
  authorize(ctx, 'kms:ListRetirableGrants');
  const listed = await ctx.kms.store.listGrants(
    { retiringPrincipal: parsed.retiringPrincipal },
    {
      limit: parsed.limit ?? ctx.kms.config.defaultPageSize,
      ...(parsed.cursor !== undefined && { cursor: parsed.cursor }),
    },
  );
  return { grants: listed.items, nextCursor: listed.nextCursor };
}
