import { z } from 'zod';
import { parseKeyPolicy } from '../../authz/key-policy-schema.js';
import { ConflictError } from '../../core/errors.js';
import type { KeyPolicy, KeyPolicyRecord } from '../../core/key-access.js';
import { auditedTransaction } from '../audited.js';
import { loadAuthorizedKey } from '../authorized-key.js';
import type { RequestContext } from '../context.js';
import { parseInput } from '../identity/identity-input.js';
import { assertNotDestroyed } from '../update-key.js';
import { loadKeyAccess } from './load-key-access.js';

export interface GetKeyPolicyInput {
  readonly keyId: string;
}

export interface PutKeyPolicyInput {
  readonly keyId: string;
  /** The document as the caller wrote it, returned by getKeyPolicy. */
  readonly text: string;
  /** What it means, translated by the door from its policy language. */
  readonly policy: KeyPolicy;
  /** Replace only if the stored policy is still at this version. */
  readonly rowVersion?: number;
}

/** A key's policy; `undefined` when none was put (the principals' own policies decide). */
export interface KeyPolicyOutput {
  readonly keyId: string;
  readonly record: KeyPolicyRecord | undefined;
}

const getSchema = z.object({ keyId: z.string().min(1).max(2048) });
const putSchema = z.object({
  keyId: z.string().min(1).max(2048),
  text: z.string().min(1).max(32_768),
  policy: z.unknown(),
  rowVersion: z.number().int().min(1).optional(),
});

/**
 * The key's policy (AWS KMS GetKeyPolicy): needs kms:GetKeyPolicy on the key.
 *
 * @example
 * const { record } = await getKeyPolicy(ctx, { keyId });
 */
export async function getKeyPolicy(
  ctx: RequestContext,
  input: GetKeyPolicyInput,
): Promise<KeyPolicyOutput> {
  const parsed = parseInput(getSchema, input);
  const loaded = await loadAuthorizedKey(ctx, parsed.keyId, 'kms:GetKeyPolicy');
  return { keyId: loaded.key.id, record: await ctx.kms.store.getKeyPolicy(loaded.key.id) };
}

/**
 * The names of the key's policies (AWS KMS ListKeyPolicies): a key has one,
 * `default`, whether or not it was ever put. Needs kms:ListKeyPolicies.
 *
 * @example
 * const { names } = await listKeyPolicies(ctx, { keyId }); // ['default']
 */
export async function listKeyPolicies(
  ctx: RequestContext,
  input: GetKeyPolicyInput,
): Promise<{ readonly keyId: string; readonly names: readonly string[] }> {
  const parsed = parseInput(getSchema, input);
  const loaded = await loadAuthorizedKey(ctx, parsed.keyId, 'kms:ListKeyPolicies');
  return { keyId: loaded.key.id, names: ['default'] };
}

/**
 * Sets the key's policy (AWS KMS PutKeyPolicy): needs kms:PutKeyPolicy on the
 * key. It takes effect on this node, through every door, once this returns.
 *
 * @example
 * await putKeyPolicy(ctx, { keyId, text, policy });
 */
export async function putKeyPolicy(
  ctx: RequestContext,
  input: PutKeyPolicyInput,
): Promise<KeyPolicyOutput> {
  const parsed = parseInput(putSchema, input);
  const loaded = await loadAuthorizedKey(ctx, parsed.keyId, 'kms:PutKeyPolicy');
  assertNotDestroyed(loaded);
  const policy = parseKeyPolicy(parsed.policy);
  const keyId = loaded.key.id;
  const updatedAt = ctx.kms.clock.now();
  try {
    const record = await auditedTransaction(
      ctx,
      async (tx) => {
        const stored = await tx.getKeyPolicy(keyId);
        if (parsed.rowVersion !== undefined && stored?.rowVersion !== parsed.rowVersion) {
          throw new ConflictError(
            `the policy of key ${keyId} is not at version ${String(parsed.rowVersion)}`,
          );
        }
        if (stored === undefined) {
          const fresh = { keyId, text: parsed.text, policy, updatedAt, rowVersion: 1 };
          await tx.insertKeyPolicy(fresh);
          return fresh;
        }
        return tx.updateKeyPolicy({ ...stored, text: parsed.text, policy, updatedAt });
      },
      keyId,
    );
    return { keyId, record };
  } finally {
    await loadKeyAccess(ctx.kms, keyId);
  }
}
