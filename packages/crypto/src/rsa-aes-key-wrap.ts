import type { KeyObject } from 'node:crypto';
import { aesKeyUnwrapPad, aesKeyWrapPad } from './aes-kw.js';
import { invalidCiphertext } from './errors.js';
import { type OaepHash, rsaOaepDecrypt, rsaOaepEncrypt } from './rsa-oaep.js';
import { SecretBytes } from './secret-bytes.js';

/**
 * RSA-AES key wrap (PKCS#11 CKM_RSA_AES_KEY_WRAP, AWS KMS RSA_AES_KEY_WRAP_SHA_*):
 * a fresh AES-256 key is RSA-OAEP-encrypted to the wrapping key, and the
 * material is wrapped under it with AES-KWP (RFC 5649). Output:
 * `rsaOaep(aesKey) ‖ aesKwp(material)`; this is how RSA private keys, too long
 * for OAEP alone, are imported.
 */
export function rsaAesKeyWrap(publicKey: KeyObject, hash: OaepHash, material: Uint8Array): Buffer {
  const aesKey = SecretBytes.random(32);
  try {
    return Buffer.concat([
      rsaOaepEncrypt(publicKey, hash, aesKey.bytes),
      aesKeyWrapPad(aesKey.bytes, material),
    ]);
  } finally {
    aesKey.zero();
  }
}

/** Reverses `rsaAesKeyWrap`; any failure is the uniform INVALID_CIPHERTEXT. */
export function rsaAesKeyUnwrap(
  privateKey: KeyObject,
  hash: OaepHash,
  wrapped: Uint8Array,
): SecretBytes {
  const rsaBytes = (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (rsaBytes === 0 || wrapped.length <= rsaBytes) throw invalidCiphertext();
  const aesKey = SecretBytes.adopt(rsaOaepDecrypt(privateKey, hash, wrapped.subarray(0, rsaBytes)));
  try {
    if (aesKey.length !== 32) throw invalidCiphertext();
    return SecretBytes.adopt(aesKeyUnwrapPad(aesKey.bytes, wrapped.subarray(rsaBytes)));
  } catch {
    throw invalidCiphertext();
  } finally {
    aesKey.zero();
  }
}
