import {
  type KeySpec,
  type KeyUsage,
  keySpec,
  privateKeyFromPkcs8,
  publicKeyFromSpki,
} from '@custos/crypto';
import type { KeyObject } from 'node:crypto';
import { InvalidCiphertextError, InvalidKeyUsageError, InvalidStateError } from '../core/errors.js';
import type { KeyVersion } from '../core/key.js';
import { assertUsable, versionDecrypts, versionUsable } from '../core/lifecycle.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';

/** Preconditions of a cryptographic operation: Enabled key of the right usage. */
export function assertOperable(loaded: LoadedKey, usage: KeyUsage): KeySpec {
  assertUsable(loaded.key);
  if (loaded.key.usage !== usage) {
    throw new InvalidKeyUsageError(
      `key ${loaded.key.id} has usage ${loaded.key.usage}; this operation needs ${usage}`,
    );
  }
  return keySpec(loaded.key.spec);
}

/** The version that encrypts and signs: the primary, which must be enabled. */
export function primaryVersion(loaded: LoadedKey): KeyVersion {
  const version = loaded.versions.find((v) => v.version === loaded.key.primaryVersion);
  if (version === undefined || !versionUsable(version)) {
    throw new InvalidStateError(
      `primary version ${String(loaded.key.primaryVersion)} of key ${loaded.key.id} is not usable; rotate the key`,
    );
  }
  return version;
}

/** A version that may decrypt; anything else is the uniform InvalidCiphertext. */
export function decryptingVersion(loaded: LoadedKey, version: number): KeyVersion {
  const found = loaded.versions.find((v) => v.version === version);
  if (found === undefined || !versionDecrypts(loaded.key, found))
    throw new InvalidCiphertextError();
  return found;
}

/** Versions that may verify a signature or MAC, newest first. */
export function verifyingVersions(loaded: LoadedKey, version?: number): KeyVersion[] {
  return loaded.versions
    .filter(
      (v) => versionDecrypts(loaded.key, v) && (version === undefined || v.version === version),
    )
    .reverse();
}

/**
 * Versions whose public key may verify a signature, newest first: those of
 * verifyingVersions, and enabled versions that hold only a public key (a
 * Vault public-key import), which verify but never sign or decrypt.
 */
export function publicKeyVersions(loaded: LoadedKey, version?: number): KeyVersion[] {
  return loaded.versions
    .filter(
      (v) =>
        (versionDecrypts(loaded.key, v) || publicOnly(loaded.key, v)) &&
        (version === undefined || v.version === version),
    )
    .reverse();
}

function publicOnly(key: LoadedKey['key'], version: KeyVersion): boolean {
  return (
    version.state === 'Enabled' &&
    version.wrappedMaterial === null &&
    version.publicKey !== null &&
    version.version >= key.minDecryptionVersion
  );
}

/**
 * Runs `use` with a version's unwrapped material. `use` is synchronous: the
 * material belongs to the keyring's cache and must not be kept or zeroed.
 */
export function withMaterial<T>(
  ctx: RequestContext,
  version: KeyVersion,
  use: (material: Buffer) => T,
): T {
  const wrapped = version.wrappedMaterial;
  if (wrapped === null)
    throw new InvalidStateError(`version ${String(version.version)} has no material`);
  return ctx.kms.keyring.withVersion(version.keyId, version.version, wrapped, use);
}

/**
 * Parsed private keys, keyed by the keyring's cached material buffer: parsing
 * PKCS#8 costs more than an Ed25519 signature. An entry lives only as long as
 * the keyring caches that buffer (eviction or seal drops the buffer, and with
 * it the entry). OpenSSL's copy inside a KeyObject cannot be zeroed from
 * JavaScript, whether cached here or parsed per call.
 */
const parsedKeys = new WeakMap<Buffer, KeyObject>();

/** The private key object of an asymmetric version. */
export function withPrivateKey<T>(
  ctx: RequestContext,
  version: KeyVersion,
  use: (key: KeyObject) => T,
): T {
  return withMaterial(ctx, version, (pkcs8) => {
    let key = parsedKeys.get(pkcs8);
    if (key === undefined) {
      key = privateKeyFromPkcs8(pkcs8);
      parsedKeys.set(pkcs8, key);
    }
    return use(key);
  });
}

const parsedPublicKeys = new WeakMap<Buffer, KeyObject>();

/** The public key object of an asymmetric version (cached per stored SPKI buffer). */
export function publicKeyObject(version: KeyVersion): KeyObject {
  const spki = version.publicKey;
  if (spki === null) throw new InvalidStateError('version has no public key');
  let key = parsedPublicKeys.get(spki);
  if (key === undefined) {
    key = publicKeyFromSpki(spki);
    parsedPublicKeys.set(spki, key);
  }
  return key;
}
