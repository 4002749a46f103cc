import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import type { CertificateMapping } from '../../core/identity.js';
import type { RequestContext } from '../context.js';
import { authorizeIdentity, principalResource } from './authorize-identity.js';
import { certificateSelectorSchema, selectorKey } from './certificate-match.js';
import { parseInput, principalIdSchema } from './identity-input.js';
import { type CertificateMappingView, mappingView } from './views.js';
import { auditedTransaction } from '../audited.js';

export interface MapCertificateInput {
  readonly principal: string;
  /** SHA-256 fingerprint, hex with or without colons. */
  readonly fingerprint256?: string;
  /** Subject DN as subjectDn() renders it. */
  readonly subject?: string;
}

const principalSchema = z.object({ principal: principalIdSchema });

/**
 * Maps a client certificate to a principal, for doors that authenticate by
 * mTLS (KMIP, the HTTP listener with a client CA). Give exactly one of
 * `fingerprint256` and `subject`; mapping the same certificate again moves it.
 *
 * @example
 * await mapCertificate(ctx, { principal: 'service/billing', fingerprint256: cert.fingerprint256 });
 */
export async function mapCertificate(
  ctx: RequestContext,
  input: MapCertificateInput,
): Promise<CertificateMappingView> {
  const { principal } = parseInput(principalSchema, input);
  const selector = certificateSelectorSchema.safeParse({
    fingerprint256: input.fingerprint256,
    subject: input.subject,
  });
  if (!selector.success) {
    throw new InvalidInputError('give exactly one of fingerprint256 (SHA-256, hex) and subject');
  }
  authorizeIdentity(ctx, 'custos:MapCertificate', principalResource(principal));
  const mapping: CertificateMapping = {
    ...selectorKey(selector.data),
    principalId: principal,
    createdAt: ctx.kms.clock.now(),
  };
  await auditedTransaction(ctx, async (tx) => {
    if ((await tx.getPrincipal(principal)) === undefined) {
      throw new NotFoundError(`principal ${principal} does not exist`);
    }
    await tx.putCertificateMapping(mapping);
  });
  return mappingView(mapping);
}
