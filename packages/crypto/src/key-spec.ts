import { CryptoError } from './errors.js';

export const KEY_SPEC_NAMES = [
  'AES_256',
  'AES_128',
  'CHACHA20_POLY1305',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ED25519',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
] as const;
export type KeySpecName = (typeof KEY_SPEC_NAMES)[number];

export const KEY_USAGES = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC'] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';
export type CurveName = 'P-256' | 'P-384' | 'P-521';

export const SIGNING_ALGORITHMS = [
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'ED25519_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export const ENCRYPTION_ALGORITHMS = [
  'SYMMETRIC_DEFAULT',
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
] as const;
export type EncryptionAlgorithm = (typeof ENCRYPTION_ALGORITHMS)[number];

export const MAC_ALGORITHMS = ['HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const;
export type MacAlgorithm = (typeof MAC_ALGORITHMS)[number];

export const KEY_AGREEMENT_ALGORITHMS = ['ECDH'] as const;
export type KeyAgreementAlgorithm = (typeof KEY_AGREEMENT_ALGORITHMS)[number];

/** The AEAD a symmetric encryption key seals ciphertexts with (docs/formats.md). */
export const SYMMETRIC_CIPHERS = ['AES_256_GCM', 'AES_128_GCM', 'CHACHA20_POLY1305'] as const;
export type SymmetricCipher = (typeof SYMMETRIC_CIPHERS)[number];

/** How key material of a spec is held: raw bytes, or a PKCS#8 private key. */
export type MaterialForm = 'raw' | 'pkcs8';

/**
 * Everything the rest of Custos needs to know about a key spec. Code above
 * this table asks the descriptor; it never switches on spec names.
 */
export interface KeySpec {
  readonly name: KeySpecName;
  readonly family: 'aes' | 'chacha20' | 'hmac' | 'ec' | 'ed25519' | 'rsa';
  readonly symmetric: boolean;
  readonly material: MaterialForm;
  /** Key size in bits (the modulus for RSA, the field for EC). */
  readonly bits: number;
  readonly usages: readonly KeyUsage[];
  readonly defaultUsage: KeyUsage;
  readonly curve?: CurveName;
  /** For symmetric encryption keys: the AEAD of their ciphertexts. */
  readonly cipher?: SymmetricCipher;
  /** For HMAC: the hash; raw material length is the hash's output length. */
  readonly hash?: HashName;
  readonly signingAlgorithms: readonly SigningAlgorithm[];
  readonly encryptionAlgorithms: readonly EncryptionAlgorithm[];
  readonly macAlgorithms: readonly MacAlgorithm[];
}

const RSA_SIGN_ALGS = SIGNING_ALGORITHMS.filter((a) => a.startsWith('RSASSA_'));
const RSA_ENC_ALGS = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const;

function aead(
  name: KeySpecName,
  family: 'aes' | 'chacha20',
  bits: 128 | 256,
  cipher: SymmetricCipher,
): KeySpec {
  return {
    name,
    family,
    symmetric: true,
    material: 'raw',
    bits,
    usages: ['ENCRYPT_DECRYPT'],
    defaultUsage: 'ENCRYPT_DECRYPT',
    cipher,
    signingAlgorithms: [],
    encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    macAlgorithms: [],
  };
}

function hmac(name: KeySpecName, bits: 256 | 384 | 512): KeySpec {
  const mac = `HMAC_SHA_${String(bits)}` as MacAlgorithm;
  return {
    name,
    family: 'hmac',
    symmetric: true,
    material: 'raw',
    bits,
    usages: ['GENERATE_VERIFY_MAC'],
    defaultUsage: 'GENERATE_VERIFY_MAC',
    hash: `SHA-${String(bits)}` as HashName,
    signingAlgorithms: [],
    encryptionAlgorithms: [],
    macAlgorithms: [mac],
  };
}

// As AWS KMS: each curve signs with the hash of matching strength only.
function ecdsa(
  name: KeySpecName,
  curve: CurveName,
  bits: number,
  algorithm: SigningAlgorithm,
): KeySpec {
  return {
    name,
    family: 'ec',
    symmetric: false,
    material: 'pkcs8',
    bits,
    curve,
    usages: ['SIGN_VERIFY'],
    defaultUsage: 'SIGN_VERIFY',
    signingAlgorithms: [algorithm],
    encryptionAlgorithms: [],
    macAlgorithms: [],
  };
}

function rsa(name: KeySpecName, bits: number): KeySpec {
  return {
    name,
    family: 'rsa',
    symmetric: false,
    material: 'pkcs8',
    bits,
    usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
    defaultUsage: 'ENCRYPT_DECRYPT',
    signingAlgorithms: RSA_SIGN_ALGS,
    encryptionAlgorithms: RSA_ENC_ALGS,
    macAlgorithms: [],
  };
}

const TABLE: Readonly<Record<KeySpecName, KeySpec>> = {
  AES_256: aead('AES_256', 'aes', 256, 'AES_256_GCM'),
  AES_128: aead('AES_128', 'aes', 128, 'AES_128_GCM'),
  CHACHA20_POLY1305: aead('CHACHA20_POLY1305', 'chacha20', 256, 'CHACHA20_POLY1305'),
  HMAC_256: hmac('HMAC_256', 256),
  HMAC_384: hmac('HMAC_384', 384),
  HMAC_512: hmac('HMAC_512', 512),
  ECC_NIST_P256: ecdsa('ECC_NIST_P256', 'P-256', 256, 'ECDSA_SHA_256'),
  ECC_NIST_P384: ecdsa('ECC_NIST_P384', 'P-384', 384, 'ECDSA_SHA_384'),
  ECC_NIST_P521: ecdsa('ECC_NIST_P521', 'P-521', 521, 'ECDSA_SHA_512'),
  ED25519: {
    name: 'ED25519',
    family: 'ed25519',
    symmetric: false,
    material: 'pkcs8',
    bits: 256,
    usages: ['SIGN_VERIFY'],
    defaultUsage: 'SIGN_VERIFY',
    signingAlgorithms: ['ED25519_SHA_512'],
    encryptionAlgorithms: [],
    macAlgorithms: [],
  },
  RSA_2048: rsa('RSA_2048', 2048),
  RSA_3072: rsa('RSA_3072', 3072),
  RSA_4096: rsa('RSA_4096', 4096),
};

export function isKeySpecName(name: string): name is KeySpecName {
  return Object.hasOwn(TABLE, name);
}

/**
 * Resolves a spec name to its descriptor.
 *
 * @example
 * keySpec('ECC_NIST_P256').signingAlgorithms // ['ECDSA_SHA_256', ...]
 */
export function keySpec(name: string): KeySpec {
  if (!isKeySpecName(name)) throw new CryptoError('UNSUPPORTED', `unsupported key spec: ${name}`);
  return TABLE[name];
}

/** The hash a signing algorithm digests with. */
export function signingHash(algorithm: SigningAlgorithm): HashName {
  if (algorithm === 'ED25519_SHA_512') return 'SHA-512';
  const bits = algorithm.slice(-3);
  return `SHA-${bits}` as HashName;
}

export function hashLength(hash: HashName): number {
  return Number(hash.slice(4)) / 8;
}

/** node:crypto's name for a hash. */
export function nodeHashName(hash: HashName): 'sha256' | 'sha384' | 'sha512' {
  return hash === 'SHA-256' ? 'sha256' : hash === 'SHA-384' ? 'sha384' : 'sha512';
}
