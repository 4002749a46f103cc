import { createHmac, hkdfSync } from 'node:crypto';
import { GCM_IV_LENGTH } from './aead.js';
import { type EncryptionContext, canonicalContext } from './encryption-context.js';
import { CryptoError } from './errors.js';
import { SecretBytes } from './secret-bytes.js';

/** node:crypto's HKDF refuses a longer info (OpenSSL's limit). */
export const MAX_DERIVATION_CONTEXT_BYTES = 1024;

/**
 * HKDF-SHA-256 (RFC 5869) with an empty salt and the context as info: how
 * Vault Transit derives a per-context key from a derived key's version
 * (openbao sdk/helper/keysutil/policy.go, DeriveKey, Kdf_hkdf_sha256).
 *
 * @example
 * const key = deriveKey(material, Buffer.from('tenant-7'), 32);
 * try { … } finally { key.zero() }
 */
export function deriveKey(material: Uint8Array, context: Uint8Array, length: number): SecretBytes {
  if (context.length === 0)
    throw new CryptoError('INVALID_INPUT', 'a derivation context is required');
  if (context.length > MAX_DERIVATION_CONTEXT_BYTES) {
    throw new CryptoError('INVALID_INPUT', 'the derivation context is longer than 1024 bytes');
  }
  if (material.length === 0) throw new CryptoError('INVALID_KEY', 'no key material to derive from');
  return SecretBytes.adopt(
    Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), context, length)),
  );
}

/**
 * The nonce of convergent (deterministic) encryption: HMAC-SHA-256 under a
 * derived key kept apart for this purpose, truncated to 96 bits. Vault
 * (convergent version 3) MACs the plaintext alone; here the canonical
 * encryption context is MACed before it, so one plaintext under two
 * different contexts (associated data) never reuses a nonce with the same key.
 */
export function convergentNonce(
  hmacKey: Uint8Array,
  plaintext: Uint8Array,
  context?: EncryptionContext,
): Buffer {
  if (hmacKey.length < 32) throw new CryptoError('INVALID_KEY', 'the nonce key must be 32 bytes');
  const mac = createHmac('sha256', hmacKey).update(canonicalContext(context)).update(plaintext);
  return mac.digest().subarray(0, GCM_IV_LENGTH);
}
