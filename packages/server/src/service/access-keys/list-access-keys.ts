import { z } from 'zod';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, principalResource } from '../identity/authorize-identity.js';
import { parseInput, principalIdSchema } from '../identity/identity-input.js';
import { readAccessKey, readAccessKeyIds } from './access-key-records.js';

export interface ListAccessKeysInput {
  /** Only this principal's keys (needs custos:ListTokens on it); all keys otherwise. */
  readonly principal?: string;
}

export interface AccessKeySummary {
  readonly accessKeyId: string;
  readonly principal: string;
  readonly createdAt: Date;
}

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
  for (const id of await readAccessKeyIds(ctx.kms.store)) {
    const record = await readAccessKey(ctx.kms.store, id);
    if (record === undefined) continue;
    if (principal !== undefined && record.principalId !== principal) continue;
    out.push({ accessKeyId: id, principal: record.principalId, createdAt: record.createdAt });
  }
  return out;
}
