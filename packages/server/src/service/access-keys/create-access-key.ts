import { z } from 'zod';
import { InvalidStateError, NotFoundError } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, principalResource } from '../identity/authorize-identity.js';
import { parseInput, principalIdSchema } from '../identity/identity-input.js';
import { newAccessKeyId, newSecretAccessKey, secretPurpose } from './access-key-records.js';

export interface CreateAccessKeyInput {
  /** Whose key; the caller's own when absent. */
  readonly principal?: string;
}

export interface CreateAccessKeyOutput {
  readonly accessKeyId: string;
  /** Shown this once; stored only sealed under the domain key. */
  readonly secretAccessKey: string;
  readonly principal: string;
  readonly createdAt: Date;
}

const inputSchema = z.object({ principal: principalIdSchema.optional() });

/**
 * Issues an AWS-style access key (SigV4 credential) for a principal. An
 * access key is a credential like a token, so the same permission governs
 * it: custos:CreateToken on `principal/<id>`.
 *
 * @example
 * const { accessKeyId, secretAccessKey } = await createAccessKey(ctx, { principal: 'service/app' });
 */
export async function createAccessKey(
  ctx: RequestContext,
  input: CreateAccessKeyInput,
): Promise<CreateAccessKeyOutput> {
  const parsed = parseInput(inputSchema, input);
  const principalId = parsed.principal ?? ctx.principal.id;
  authorizeIdentity(ctx, 'custos:CreateToken', principalResource(principalId));
  const principal = await ctx.kms.store.getPrincipal(principalId);
  if (principal === undefined) throw new NotFoundError(`principal ${principalId} does not exist`);
  if (principal.disabled) throw new InvalidStateError(`principal ${principalId} is disabled`);
  const accessKeyId = newAccessKeyId();
  const secretAccessKey = newSecretAccessKey();
  const secretBytes = Buffer.from(secretAccessKey, 'utf8');
  const record = {
    accessKeyId,
    principalId,
    wrappedSecret: ctx.kms.keyring.wrapSecret(secretPurpose(accessKeyId), secretBytes),
    createdAt: ctx.kms.clock.now(),
  };
  secretBytes.fill(0);
  await ctx.kms.store.transaction((tx) => tx.insertAccessKey(record));
  return { accessKeyId, secretAccessKey, principal: principalId, createdAt: record.createdAt };
}
