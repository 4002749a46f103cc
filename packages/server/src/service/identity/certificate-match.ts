import { z } from 'zod';
import type { CertificateMatch } from '../../core/identity.js';

/**
 * A certificate as a mapping names it: by SHA-256 fingerprint (preferred: it
 * names one certificate) or by subject DN (any certificate the client CA
 * issues to that subject, so renewal needs no new mapping).
 */
export const certificateSelectorSchema = z.union([
  z.object({
    fingerprint256: z
      .string()
      .transform(normalizeFingerprint)
      .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 fingerprint is 32 hex bytes')),
    subject: z.undefined().optional(),
  }),
  z.object({
    fingerprint256: z.undefined().optional(),
    subject: z.string().min(1).max(1024),
  }),
]);

export type CertificateSelector = z.output<typeof certificateSelectorSchema>;

/** `AB:CD:…` (as node:tls gives it) or plain hex, to lower-case hex without separators. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replaceAll(':', '').trim().toLowerCase();
}

export function selectorKey(selector: CertificateSelector): {
  match: CertificateMatch;
  value: string;
} {
  return selector.fingerprint256 !== undefined
    ? { match: 'fingerprint', value: selector.fingerprint256 }
    : { match: 'subject', value: selector.subject };
}

/**
 * The subject DN string mappings use for a node:tls PeerCertificate subject
 * (an object of attribute → value or values): `C=DE, O=Example, CN=app`, in
 * the order node lists the attributes.
 *
 * @example
 * subjectDn(socket.getPeerCertificate().subject) // 'O=Example, CN=billing'
 */
export function subjectDn(subject: Readonly<Record<string, string | readonly string[]>>): string {
  return Object.entries(subject)
    .flatMap(([attribute, value]) =>
      (typeof value === 'string' ? [value] : value).map((v) => `${attribute}=${v}`),
    )
    .join(', ');
}
