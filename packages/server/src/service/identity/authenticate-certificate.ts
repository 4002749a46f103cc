import type { AuthenticatedPrincipal } from '../../core/access.js';
import { UnauthenticatedError } from '../../core/errors.js';
import type { Kms } from '../context.js';
import { normalizeFingerprint } from './certificate-match.js';

export interface PresentedCertificate {
  /** As node:tls reports it (`AB:CD:…`) or plain hex. */
  readonly fingerprint256: string;
  /** Subject DN as subjectDn() renders it; tried when no fingerprint mapping exists. */
  readonly subject?: string;
}

/**
 * The principal a client certificate maps to. The TLS layer has verified the
 * chain against the client CA already; this only names who it is. An unmapped
 * certificate or a disabled principal is Unauthenticated, without saying which.
 */
export async function authenticateCertificate(
  kms: Kms,
  certificate: PresentedCertificate,
): Promise<AuthenticatedPrincipal> {
  const fingerprint = normalizeFingerprint(certificate.fingerprint256);
  const mapping =
    (await kms.store.getCertificateMapping('fingerprint', fingerprint)) ??
    (certificate.subject === undefined || certificate.subject === ''
      ? undefined
      : await kms.store.getCertificateMapping('subject', certificate.subject));
  const principal =
    mapping === undefined ? undefined : await kms.store.getPrincipal(mapping.principalId);
  if (principal === undefined || principal.disabled) {
    throw new UnauthenticatedError('the client certificate is not mapped to an enabled principal');
  }
  return {
    id: principal.id,
    kind: principal.kind,
    policies: principal.policies,
    credential: { type: 'certificate', id: fingerprint, expiresAt: null },
  };
}
