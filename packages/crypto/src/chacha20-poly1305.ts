import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CryptoError, invalidCiphertext } from './errors.js';

/** RFC 8439 §2.8: a 256-bit key, a 96-bit nonce and a 128-bit tag, nothing else. */
export const CHACHA20_KEY_LENGTH = 32;
export const CHACHA20_NONCE_LENGTH = 12;
export const POLY1305_TAG_LENGTH = 16;

function checkKey(key: Uint8Array): void {
  if (key.length !== CHACHA20_KEY_LENGTH) {
    throw new CryptoError('INVALID_KEY', 'ChaCha20-Poly1305 key must be 32 bytes');
  }
}

/**
 * ChaCha20-Poly1305 AEAD encryption (RFC 8439 §2.8). The nonce must be
 * exactly 12 bytes: OpenSSL would take shorter ones and pad them, which
 * RFC 8439 does not define.
 *
 * @example
 * const { ciphertext, tag } = chachaPolyEncrypt(key, nonce, plaintext, aad);
 */
export function chachaPolyEncrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): { ciphertext: Buffer; tag: Buffer } {
  checkKey(key);
  if (nonce.length !== CHACHA20_NONCE_LENGTH) {
    throw new CryptoError('INVALID_INPUT', 'ChaCha20-Poly1305 nonce must be 12 bytes');
  }
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, {
    authTagLength: POLY1305_TAG_LENGTH,
  });
  if (aad !== undefined) cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** ChaCha20-Poly1305 decryption; any failure is the uniform INVALID_CIPHERTEXT. */
export function chachaPolyDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad?: Uint8Array,
): Buffer {
  if (
    key.length !== CHACHA20_KEY_LENGTH ||
    nonce.length !== CHACHA20_NONCE_LENGTH ||
    tag.length !== POLY1305_TAG_LENGTH
  ) {
    throw invalidCiphertext();
  }
  try {
    const decipher = createDecipheriv('chacha20-poly1305', key, nonce, {
      authTagLength: POLY1305_TAG_LENGTH,
    });
    if (aad !== undefined) decipher.setAAD(aad, { plaintextLength: ciphertext.length });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw invalidCiphertext();
  }
}
