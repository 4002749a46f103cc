import { type KeyObject, constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { CryptoError, invalidCiphertext } from './errors.js';

/** SHA-224, -384 and -512 serve Vault's BYOK `hash_function`; AWS names SHA-1 and SHA-256 only. */
export type OaepHash = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

const NODE_HASH: Record<OaepHash, string> = {
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};
const HASH_LENGTH: Record<OaepHash, number> = {
  'SHA-1': 20,
  'SHA-224': 28,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};

/** The largest plaintext RSA-OAEP can carry for a modulus (RFC 8017 §7.1.1). */
export function rsaOaepMaxPlaintext(modulusBits: number, hash: OaepHash): number {
  const hLen = HASH_LENGTH[hash];
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
