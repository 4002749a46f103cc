import { aeadOpen, aeadSeal, SecretBytes } from '@custos/crypto';
import { InternalError, InvalidInputError, needs } from '../core/errors.js';

/** The domain key is always an AES-256 key. */
export const DOMAIN_KEY_LENGTH = 32;

/**
 * AAD of every domain-key wrap. A seal-specific header (KDF parameters, ...)
 * is appended so that it cannot be swapped without failing the tag.
 */
export const DOMAIN_KEY_AAD = 'custos:domain-key:v1';

function aad(header: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(DOMAIN_KEY_AAD, 'utf8'), header]);
}

/**
 * Seals the domain key under a seal's key-encryption key as `iv ‖ ct ‖ tag`.
 *
 * @example
 * const blob = wrapDomainKey(kek, domainKey);
 */
export function wrapDomainKey(
  kek: Uint8Array,
  domainKey: SecretBytes,
  header: Uint8Array = Buffer.alloc(0),
): Buffer {
  needs(
    domainKey.length === DOMAIN_KEY_LENGTH,
    () => new InvalidInputError(`the domain key must be ${DOMAIN_KEY_LENGTH} bytes`),
  );
  return aeadSeal(kek, domainKey.bytes, aad(header));
}

/**
 * Opens a `wrapDomainKey` blob. Every failure is the same InvalidInputError:
 * a wrong passphrase, file or share must not be told apart from tampering.
 *
 * @example
 * const domainKey = unwrapDomainKey(kek, blob);
 */
export function unwrapDomainKey(
  kek: Uint8Array,
  wrapped: Uint8Array,
  header: Uint8Array = Buffer.alloc(0),
): SecretBytes {
  let opened: Buffer;
  try {
    opened = aeadOpen(kek, wrapped, aad(header));
  } catch {
    throw new InvalidInputError('unseal failed');
  }
  if (opened.length !== DOMAIN_KEY_LENGTH) {
    // Authentic but malformed: a bug in whatever wrapped it, not a wrong root of trust.
    opened.fill(0);
    throw new InternalError('the unsealed domain key has the wrong length');
  }
  return SecretBytes.adopt(opened);
}
