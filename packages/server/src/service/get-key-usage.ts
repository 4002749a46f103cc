import type { Action } from '../core/actions.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';

export interface GetKeyUsageInput {
  readonly keyId: string;
}

export interface GetKeyUsageOutput {
  readonly keyId: string;
  /** Last successful cryptographic use (as describeKey reports it). */
  readonly lastUsedAt: Date | null;
  /**
   * Authorized requests on this key by operation name (`encrypt`,
   * `generateDataKey`, `reEncryptFrom`, `describeKey`, …), counted whether or
   * not the cryptography then succeeded.
   */
  readonly operations: Readonly<Record<string, number>>;
  /** The counts are this node's, in memory, since this time. */
  readonly countingSince: Date;
}

/** `kms:GenerateDataKey` → `generateDataKey`: the service operation's name. */
function operationName(action: Action): string {
  const name = action.slice('kms:'.length);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** How a key has been used: when last, and how often per operation. Reading it needs DescribeKey. */
export async function getKeyUsage(
  ctx: RequestContext,
  input: GetKeyUsageInput,
): Promise<GetKeyUsageOutput> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:DescribeKey');
  const { usage } = ctx.kms;
  const operations: Record<string, number> = {};
  for (const [action, count] of usage.operationCounts(loaded.key.id)) {
    operations[operationName(action)] = count;
  }
  return {
    keyId: loaded.key.id,
    lastUsedAt: usage.lastUsedAt(loaded.key.id),
    operations,
    countingSince: usage.countingSince,
  };
}
