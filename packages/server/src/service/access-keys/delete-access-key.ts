import { NotFoundError } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, principalResource } from '../identity/authorize-identity.js';
import { ACCESS_KEY_ID_RE } from './access-key-records.js';
import { forgetAccessKey } from './resolve-access-key.js';

export interface DeleteAccessKeyInput {
  readonly accessKeyId: string;
}

/**
 * Deletes an access key; requests signed with it fail from now on. Governed
 * like revoking a token: custos:RevokeToken on the owner.
 *
 * @example
 * await deleteAccessKey(ctx, { accessKeyId: 'AKIA…' });
 */
export async function deleteAccessKey(
  ctx: RequestContext,
  input: DeleteAccessKeyInput,
): Promise<void> {
  const record = ACCESS_KEY_ID_RE.test(input.accessKeyId)
    ? await ctx.kms.store.getAccessKey(input.accessKeyId)
    : undefined;
  if (record === undefined) {
    throw new NotFoundError(`access key ${input.accessKeyId} does not exist`);
  }
  authorizeIdentity(ctx, 'custos:RevokeToken', principalResource(record.principalId));
  await ctx.kms.store.transaction((tx) => tx.deleteAccessKey(record.accessKeyId));
  forgetAccessKey(ctx.kms, record.accessKeyId);
}
