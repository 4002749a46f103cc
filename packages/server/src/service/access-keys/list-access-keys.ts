import { z } from 'zod';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, principalResource } from '../identity/authorize-identity.js';
import { parseInput, principalIdSchema } from '../identity/identity-input.js';

export interface ListAccessKeysInput {
  /** Only this principal's keys (needs custos:ListTokens on it); all keys otherwise. */
  readonly principal?: string;
}

export interface AccessKeySummary {
  readonly accessKeyId: string;
  readonly principal: string;
  readonly createdAt: Date;
}

const PAGE = 500;

const inputSchema = z.object({ principal: principalIdSchema.optional() });

/**
 * Lists access keys, never their secrets.
 *
 * @example
 * const keys = await listAccessKeys(ctx, { principal: 'service/app' });
 */
export async function listAccessKeys(
  ctx: RequestContext,
  input: ListAccessKeysInput,
): Promise<AccessKeySummary[]> {
  const { principal } = parseInput(inputSchema, input);
  authorizeIdentity(
    ctx,
    'custos:ListTokens',
    principal === undefined ? undefined : principalResource(principal),
  );
  const out: AccessKeySummary[] = [];
  const filter = principal === undefined ? {} : { principalId: principal };
  let cursor: string | undefined;
  do {
    const page = await ctx.kms.store.listAccessKeys(filter, {
      limit: PAGE,
      ...(cursor !== undefined && { cursor }),
    });
    for (const record of page.items) {
      out.push({
        accessKeyId: record.accessKeyId,
        principal: record.principalId,
        createdAt: record.createdAt,
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}
