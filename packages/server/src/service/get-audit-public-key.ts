import { auditKeyId } from '../audit/checkpoint.js';
import { AUDIT_PUBLIC_META } from '../audit/audit-keys.js';
import { NotFoundError } from '../core/errors.js';
import { authorize } from './authorize.js';
import type { RequestContext } from './context.js';

export interface AuditPublicKey {
  /** Ed25519, SPKI DER. */
  readonly publicKey: Buffer;
  /** What checkpoints name it by. */
  readonly keyId: string;
}

/**
 * The key audit checkpoints verify with (custos:ReadAudit). Hand it to
 * whoever verifies an export, by a channel other than the export itself.
 * NotFound until the first record was written while unsealed.
 *
 * @example
 * const { publicKey } = await getAuditPublicKey(ctx);
 */
export async function getAuditPublicKey(ctx: RequestContext): Promise<AuditPublicKey> {
  authorize(ctx, 'custos:ReadAudit');
  const publicKey = await ctx.kms.store.getMeta(AUDIT_PUBLIC_META);
  if (publicKey === undefined) throw new NotFoundError('the audit log has no key yet');
  return { publicKey, keyId: auditKeyId(publicKey) };
}
