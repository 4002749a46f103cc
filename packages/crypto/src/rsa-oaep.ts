import { type KeyObject, constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { CryptoError, invalidCiphertext } from './errors.js';

export type OaepHash = 'SHA-1' | 'SHA-256';

const NODE_HASH: Record<OaepHash, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256' };

/** The largest plaintext RSA-OAEP can carry for a modulus (RFC 8017 §7.1.1). */
export function rsaOaepMaxPlaintext(modulusBits: number, hash: OaepHash): number {
  const hLen = hash === 'SHA-1' ? 20 : 32;
  return modulusBits / 8 - 2 * hLen - 2;
}

/** RSA-OAEP encryption with MGF1 over the same hash, empty label. */
export function rsaOaepEncrypt(
  publicKey: KeyObject,
  hash: OaepHash,
  plaintext: Uint8Array,
): Buffer {
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (plaintext.length > rsaOaepMaxPlaintext(bits, hash)) {
    throw new CryptoError('INVALID_INPUT', 'plaintext is too long for RSA-OAEP with this key');
  }
  return publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: NODE_HASH[hash] },
    plaintext,
  );
}

/** RSA-OAEP decryption; every failure is the uniform INVALID_CIPHERTEXT. */
export function rsaOaepDecrypt(
  privateKey: KeyObject,
  hash: OaepHash,
  ciphertext: Uint8Array,
): Buffer {
  try {
    return privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: NODE_HASH[hash] },
      ciphertext,
    );
  } catch {
    throw invalidCiphertext();
  }
}
