import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, principalResource } from './authorize-identity.js';
import { certificateSelectorSchema, selectorKey } from './certificate-match.js';
import { auditedTransaction } from '../audited.js';

export interface UnmapCertificateInput {
  readonly fingerprint256?: string;
  readonly subject?: string;
}

/** Removes a certificate mapping; decided on the principal it maps to. */
export async function unmapCertificate(
  ctx: RequestContext,
  input: UnmapCertificateInput,
): Promise<void> {
  const selector = certificateSelectorSchema.safeParse(input);
  if (!selector.success) {
    throw new InvalidInputError('give exactly one of fingerprint256 (SHA-256, hex) and subject');
  }
  const { match, value } = selectorKey(selector.data);
  const mapping = await ctx.kms.store.getCertificateMapping(match, value);
  if (mapping === undefined) {
    authorizeIdentity(ctx, 'custos:MapCertificate');
    throw new NotFoundError(`no certificate mapping for that ${match}`);
  }
  authorizeIdentity(ctx, 'custos:MapCertificate', principalResource(mapping.principalId));
  await auditedTransaction(ctx, (tx) => tx.deleteCertificateMapping(match, value));
}
