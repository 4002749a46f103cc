import {
  CryptoError,
  type OaepHash,
  SecretBytes,
  bytesToUuid,
  privateKeyFromPkcs8,
  rsaAesKeyUnwrap,
  rsaAesKeyWrap,
  rsaOaepDecrypt,
  rsaOaepEncrypt,
  uuidToBytes,
} from '@custos/crypto';
import type { KeyObject } from 'node:crypto';
import { InternalError, InvalidCiphertextError, InvalidImportTokenError } from '../core/errors.js';
import type { ImportToken } from '../core/key.js';
import type { Keyring } from '../seal/keyring.js';

interface WrappingScheme {
  /** `oaep`: the material itself is RSA-OAEP encrypted; `aes-kw`: RSA-OAEP(AES key) ‖ AES-KWP(material). */
  readonly scheme: 'oaep' | 'aes-kw';
  readonly hash: OaepHash;
}

/**
 * The wrapping algorithms of AWS KMS GetParametersForImport. OAEP alone can
 * carry only what fits in one RSA block (so never an RSA private key); the
 * RSA-AES key wrap carries material of any length.
 */
export const WRAPPING_ALGORITHMS = {
  RSAES_OAEP_SHA_1: { scheme: 'oaep', hash: 'SHA-1' },
  RSAES_OAEP_SHA_256: { scheme: 'oaep', hash: 'SHA-256' },
  RSA_AES_KEY_WRAP_SHA_1: { scheme: 'aes-kw', hash: 'SHA-1' },
  RSA_AES_KEY_WRAP_SHA_256: { scheme: 'aes-kw', hash: 'SHA-256' },
} as const satisfies Record<string, WrappingScheme>;
export type WrappingAlgorithm = keyof typeof WRAPPING_ALGORITHMS;
export const WRAPPING_ALGORITHM_NAMES = Object.keys(WRAPPING_ALGORITHMS) as WrappingAlgorithm[];

export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const;
export type WrappingKeySpec = (typeof WRAPPING_KEY_SPECS)[number];

function schemeOf(algorithm: string): WrappingScheme {
  if (!Object.hasOwn(WRAPPING_ALGORITHMS, algorithm)) {
    throw new InternalError('an import token names an unknown wrapping algorithm');
  }
  return WRAPPING_ALGORITHMS[algorithm as WrappingAlgorithm];
}

/** Wraps material to a caller's RSA public key (export). */
export function wrapMaterial(
  publicKey: KeyObject,
  algorithm: WrappingAlgorithm,
  material: Buffer,
): Buffer {
  const { scheme, hash } = schemeOf(algorithm);
  return scheme === 'oaep'
    ? rsaOaepEncrypt(publicKey, hash, material)
    : rsaAesKeyWrap(publicKey, hash, material);
}

/** Purpose under which an import token's private key is sealed; binds the blob to its token. */
export function importTokenPurpose(tokenId: string): string {
  return `import-token:${tokenId}`;
}

/**
 * Unwraps imported material with the token's private key. Every failure of
 * the wrapping is the uniform InvalidCiphertext, as for any decryption.
 */
export function unwrapImported(
  keyring: Keyring,
  token: ImportToken,
  encrypted: Uint8Array,
): SecretBytes {
  const { scheme, hash } = schemeOf(token.wrappingAlgorithm);
  const pkcs8 = keyring.unwrapSecret(importTokenPurpose(token.id), token.wrappedPrivateKey);
  try {
    const privateKey = privateKeyFromPkcs8(pkcs8.bytes);
    return scheme === 'oaep'
      ? SecretBytes.adopt(rsaOaepDecrypt(privateKey, hash, encrypted))
      : rsaAesKeyUnwrap(privateKey, hash, encrypted);
  } catch (error) {
    if (error instanceof CryptoError) throw new InvalidCiphertextError();
    throw error;
  } finally {
    pkcs8.zero();
  }
}

/** The token handed to the caller: the 16 bytes of the stored token's UUID. */
export function importTokenBytes(tokenId: string): Buffer {
  return uuidToBytes(tokenId);
}

/** The stored token id an import token names; InvalidImportToken if it cannot name one. */
export function importTokenId(token: Uint8Array): string {
  if (!(token instanceof Uint8Array) || token.length !== 16) {
    throw new InvalidImportTokenError('the import token is not valid');
  }
  return bytesToUuid(token);
}
