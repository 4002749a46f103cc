import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CryptoError, invalidCiphertext } from './errors.js';

export const GCM_IV_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

function gcmName(key: Uint8Array): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  switch (key.length) {
    case 16:
      return 'aes-128-gcm';
    case 24:
      return 'aes-192-gcm';
    case 32:
      return 'aes-256-gcm';
    default:
      throw new CryptoError('INVALID_KEY', 'AES key must be 16, 24 or 32 bytes');
  }
}

/**
 * AES-GCM encryption with an explicit IV (any non-empty length GCM allows).
 *
 * @example
 * const { ciphertext, tag } = aesGcmEncrypt(key, iv, plaintext, aad);
 */
export function aesGcmEncrypt(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
  tagLength = GCM_TAG_LENGTH,
): { ciphertext: Buffer; tag: Buffer } {
  if (iv.length === 0) throw new CryptoError('INVALID_INPUT', 'GCM IV must not be empty');
  const cipher = createCipheriv(gcmName(key), key, iv, { authTagLength: tagLength });
  if (aad !== undefined) cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/**
 * AES-GCM decryption; any failure is the uniform INVALID_CIPHERTEXT. The tag
 * must be exactly `tagLength` bytes: accepting whatever length arrives would
 * let an attacker cut a 16-byte tag down to 12 and forge more cheaply.
 */
export function aesGcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad?: Uint8Array,
  tagLength = GCM_TAG_LENGTH,
): Buffer {
  const name = gcmName(key);
  if (iv.length === 0 || tag.length !== tagLength) throw invalidCiphertext();
  try {
    const decipher = createDecipheriv(name, key, iv, { authTagLength: tag.length });
    if (aad !== undefined) decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw invalidCiphertext();
  }
}

/**
 * Seals `plaintext` under `key` with a fresh random IV as `iv ‖ ciphertext ‖ tag`.
 * Used for wrapping stored secrets (key versions under the domain key).
 */
export function aeadSeal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const iv = randomBytes(GCM_IV_LENGTH);
  const { ciphertext, tag } = aesGcmEncrypt(key, iv, plaintext, aad);
  return Buffer.concat([iv, ciphertext, tag]);
}

/** Opens an `aeadSeal` blob; the result is the caller's to zero. */
export function aeadOpen(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  if (sealed.length < GCM_IV_LENGTH + GCM_TAG_LENGTH) throw invalidCiphertext();
  const iv = sealed.subarray(0, GCM_IV_LENGTH);
  const tag = sealed.subarray(sealed.length - GCM_TAG_LENGTH);
  const body = sealed.subarray(GCM_IV_LENGTH, sealed.length - GCM_TAG_LENGTH);
  return aesGcmDecrypt(key, iv, body, tag, aad);
}
