import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import type { GrantRecord } from '../../core/key-access.js';
import { auditedTransaction } from '../audited.js';
import type { RequestContext } from '../context.js';
import { parseInput } from '../identity/identity-input.js';
import { authorizeOnGrant, loadKeyFor } from './grant-authorization.js';
import { GRANT_ID_RE, grantIdOfToken } from './grant-token.js';
import { loadKeyAccess } from './load-key-access.js';

export interface RetireGrantInput {
  /** Names the grant by itself, or give keyId and grantId. */
  readonly grantToken?: string;
  readonly keyId?: string;
  readonly grantId?: string;
}

export interface RevokeGrantInput {
  readonly keyId: string;
  readonly grantId: string;
}

const retireSchema = z.object({
  grantToken: z.string().min(1).max(8192).optional(),
  keyId: z.string().min(1).max(2048).optional(),
  grantId: z.string().regex(GRANT_ID_RE, 'a grant id is 64 hex digits').optional(),
});

const revokeSchema = z.object({
  keyId: z.string().min(1).max(2048),
  grantId: z.string().regex(GRANT_ID_RE, 'a grant id is 64 hex digits'),
});

/**
 * Retires a grant (AWS KMS RetireGrant): its retiring principal, its grantee
 * when it includes RetireGrant, or whoever may kms:RetireGrant on the key.
 *
 * @example
 * await retireGrant(ctx, { grantToken });
 */
export async function retireGrant(ctx: RequestContext, input: RetireGrantInput): Promise<void> {
  const parsed = parseInput(retireSchema, input);
  let grantId = parsed.grantId;
  if (parsed.grantToken !== undefined) {
    const named = grantIdOfToken(parsed.grantToken);
    if (named === undefined) throw new InvalidInputError('the grant token is not valid');
    if (grantId !== undefined && grantId !== named) {
      throw new InvalidInputError('the grant token names another grant than grantId');
    }
    grantId = named;
  }
  if (grantId === undefined)
    throw new InvalidInputError('give a grant token, or a key id and grant id');
  if (parsed.grantToken === undefined && parsed.keyId === undefined) {
    throw new InvalidInputError('a grant id needs its key id');
  }
  const grant = await ctx.kms.store.getGrant(grantId);
  const keyRef = parsed.keyId ?? grant?.keyId;
  if (keyRef === undefined) throw new NotFoundError(`grant ${grantId} does not exist`);
  const loaded = await loadKeyFor(ctx, keyRef, 'kms:RetireGrant');
  const own = grant?.keyId === loaded.key.id ? grant : undefined;
  authorizeOnGrant(ctx, 'kms:RetireGrant', loaded, keyRef, own);
  if (own === undefined)
    throw new NotFoundError(`grant ${grantId} does not exist on key ${keyRef}`);
  await remove(ctx, own);
}

/**
 * Revokes a grant (AWS KMS RevokeGrant): needs kms:RevokeGrant on the key,
 * which no grant can give.
 *
 * @example
 * await revokeGrant(ctx, { keyId, grantId });
 */
export async function revokeGrant(ctx: RequestContext, input: RevokeGrantInput): Promise<void> {
  const parsed = parseInput(revokeSchema, input);
  const loaded = await loadKeyFor(ctx, parsed.keyId, 'kms:RevokeGrant');
  authorizeOnGrant(ctx, 'kms:RevokeGrant', loaded, parsed.keyId);
  const grant = await ctx.kms.store.getGrant(parsed.grantId);
  if (grant?.keyId !== loaded.key.id) {
    throw new NotFoundError(`grant ${parsed.grantId} does not exist on key ${parsed.keyId}`);
  }
  await remove(ctx, grant);
}

async function remove(ctx: RequestContext, grant: GrantRecord): Promise<void> {
  try {
    await auditedTransaction(ctx, (tx) => tx.deleteGrant(grant.grantId), grant.keyId);
  } finally {
    await loadKeyAccess(ctx.kms, grant.keyId);
  }
}
