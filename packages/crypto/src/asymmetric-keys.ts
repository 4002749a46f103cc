import {
  type KeyObject,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import { CryptoError } from './errors.js';
import type { KeySpec } from './key-spec.js';
import { SecretBytes } from './secret-bytes.js';

/**
 * New key material for a spec: raw bytes for AES, ChaCha20 and HMAC (HMAC keys are as
 * long as the hash output), PKCS#8 DER for asymmetric keys.
 */
export function generateKeyMaterial(spec: KeySpec): SecretBytes {
  switch (spec.family) {
    case 'aes':
    case 'chacha20':
    case 'hmac':
      return SecretBytes.adopt(randomBytes(spec.bits / 8));
    case 'ec':
      return SecretBytes.adopt(
        generateKeyPairSync('ec', { namedCurve: spec.curve ?? 'P-256' }).privateKey.export({
          format: 'der',
          type: 'pkcs8',
        }),
      );
    case 'ed25519':
      return SecretBytes.adopt(
        generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }),
      );
    case 'rsa':
      return SecretBytes.adopt(
        generateKeyPairSync('rsa', {
          modulusLength: spec.bits,
          publicExponent: 0x10001,
        }).privateKey.export({ format: 'der', type: 'pkcs8' }),
      );
  }
}

/** Parses PKCS#8 DER private key material. */
export function privateKeyFromPkcs8(pkcs8: Uint8Array): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch {
    throw new CryptoError('INVALID_KEY', 'private key is not valid PKCS#8');
  }
}

/** Parses an SPKI DER or PEM public key. */
export function publicKeyFromSpki(spki: Uint8Array | string): KeyObject {
  try {
    if (typeof spki === 'string') {
      // createPublicKey would also derive a public key from a private-key PEM;
      // a private key pasted where a public one belongs must be refused.
      if (!spki.trimStart().startsWith('-----BEGIN PUBLIC KEY-----')) throw new Error('not SPKI');
      return createPublicKey({ key: spki, format: 'pem' });
    }
    return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new CryptoError('INVALID_KEY', 'public key is not valid SPKI');
  }
}

/**
 * Checks that a key object is of the spec's type and size; used when material
 * comes from outside (import, data key pairs, caller public keys).
 */
export function keyObjectMatchesSpec(key: KeyObject, spec: KeySpec): boolean {
  const details = key.asymmetricKeyDetails;
  switch (spec.family) {
    case 'ec':
      return key.asymmetricKeyType === 'ec' && details?.namedCurve === curveOid(spec);
    case 'ed25519':
      return key.asymmetricKeyType === 'ed25519';
    case 'rsa':
      return key.asymmetricKeyType === 'rsa' && details?.modulusLength === spec.bits;
    case 'aes':
    case 'chacha20':
    case 'hmac':
      return false;
  }
}

function curveOid(spec: KeySpec): string {
  switch (spec.curve) {
    case 'P-384':
      return 'secp384r1';
    case 'P-521':
      return 'secp521r1';
    default:
      return 'prime256v1';
  }
}

/** Derives the public key (SPKI DER) from PKCS#8 private material. */
export function publicKeyOfPkcs8(pkcs8: Uint8Array): Buffer {
  return createPublicKey(privateKeyFromPkcs8(pkcs8)).export({ format: 'der', type: 'spki' });
}

export type PublicKeyFormat = 'der' | 'pem' | 'jwk';

/** A public key as SPKI DER, SPKI PEM or a JWK. */
export function exportPublicKey(spki: Uint8Array, format: 'der'): Buffer;
export function exportPublicKey(spki: Uint8Array, format: 'pem'): string;
export function exportPublicKey(spki: Uint8Array, format: 'jwk'): JsonWebKeyPublic;
export function exportPublicKey(
  spki: Uint8Array,
  format: PublicKeyFormat,
): Buffer | string | JsonWebKeyPublic {
  const key = publicKeyFromSpki(spki);
  if (format === 'der') return key.export({ format: 'der', type: 'spki' });
  if (format === 'pem') return key.export({ format: 'pem', type: 'spki' }).toString();
  return key.export({ format: 'jwk' }) as JsonWebKeyPublic;
}

export interface JsonWebKeyPublic {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}
