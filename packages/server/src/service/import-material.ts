import {
  CryptoError,
  type HashName,
  type KeySpec,
  constantTimeEqual,
  digest,
  hashLength,
  keyObjectMatchesSpec,
  privateKeyFromPkcs8,
  publicKeyOfPkcs8,
  zeroize,
} from '@custos/crypto';
import {
  IncorrectKeyMaterialError,
  InternalError,
  InvalidStateError,
  UnsupportedError,
} from '../core/errors.js';
import type { Keyring } from '../seal/keyring.js';
import type { LoadedKey } from './key-cache.js';
import { assertNotDestroyed } from './update-key.js';

/** Preconditions shared by the import operations: an EXTERNAL key that is not being deleted. */
export function assertImportable(loaded: LoadedKey): void {
  assertNotDestroyed(loaded);
  if (loaded.key.origin !== 'EXTERNAL') {
    throw new UnsupportedError(
      `key ${loaded.key.id} has ${loaded.key.origin} origin; only EXTERNAL keys take imported material`,
    );
  }
  if (loaded.key.state === 'PendingDeletion') {
    throw new InvalidStateError(`key ${loaded.key.id} is pending deletion`);
  }
}

/** Key attribute holding the sealed fingerprint of the first material imported. */
export const FINGERPRINT_ATTRIBUTE = 'custos:materialFingerprint';

// RFC 2104 §2: keys longer than the hash's block size are hashed first, so
// longer material adds nothing; shorter than its output weakens the MAC.
function hmacKeyBounds(hash: HashName): { min: number; max: number } {
  return { min: hashLength(hash), max: hash === 'SHA-256' ? 64 : 128 };
}

/**
 * Checks imported material against the key's spec (as AWS KMS: AES-256
 * exactly 32 bytes; HMAC from the hash length to its block size; asymmetric
 * keys as PKCS#8 DER of the spec's type and size). Returns the material's
 * identity: the SPKI public key for asymmetric specs (encoding-independent),
 * the raw bytes otherwise — the caller keeps owning and zeroing those.
 */
export function checkMaterial(spec: KeySpec, material: Buffer): Buffer {
  if (spec.material === 'raw') {
    const { min, max } =
      spec.hash === undefined
        ? { min: spec.bits / 8, max: spec.bits / 8 }
        : hmacKeyBounds(spec.hash);
    if (material.length < min || material.length > max) {
      throw new IncorrectKeyMaterialError(
        `${spec.name} key material must be ${min === max ? String(min) : `${String(min)} to ${String(max)}`} bytes`,
      );
    }
    return material;
  }
  try {
    if (keyObjectMatchesSpec(privateKeyFromPkcs8(material), spec))
      return publicKeyOfPkcs8(material);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
  }
  throw new IncorrectKeyMaterialError(`key material is not a PKCS#8 ${spec.name} private key`);
}

/*
 * Re-import must bring the same material (AWS KMS), yet deleting imported
 * material must really delete it, so no copy of it may stay behind. What
 * stays is a fingerprint: SHA-256 of the material's identity, sealed under
 * the domain key with AES-GCM (AAD names the key id). Sealed, it reveals
 * nothing even about weak material, cannot be forged or moved to another key
 * without the domain key, and a backup carries it along with the key.
 */
function fingerprintPurpose(keyId: string): string {
  return `import-fingerprint:${keyId}`;
}

/** The sealed fingerprint to store at first import. */
export function sealFingerprint(keyring: Keyring, keyId: string, identity: Buffer): string {
  const hash = digest('SHA-256', identity);
  try {
    return keyring.wrapSecret(fingerprintPurpose(keyId), hash).toString('base64');
  } finally {
    zeroize(hash);
  }
}

/** Precondition of re-import: the material is the one imported first. */
export function assertSameMaterial(keyring: Keyring, loaded: LoadedKey, identity: Buffer): void {
  const stored = loaded.key.attributes[FINGERPRINT_ATTRIBUTE];
  // Fail closed: without the fingerprint nothing proves the material is the same.
  if (stored === undefined) {
    throw new InternalError(`key ${loaded.key.id} has no fingerprint of its imported material`);
  }
  const expected = keyring.unwrapSecret(
    fingerprintPurpose(loaded.key.id),
    Buffer.from(stored, 'base64'),
  );
  const actual = digest('SHA-256', identity);
  try {
    if (!constantTimeEqual(expected.bytes, actual)) {
      throw new IncorrectKeyMaterialError(
        `key ${loaded.key.id} already had key material; only the same material can be imported again`,
      );
    }
  } finally {
    expected.zero();
    zeroize(actual);
  }
}
