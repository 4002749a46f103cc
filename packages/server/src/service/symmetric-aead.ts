import {
  type EncryptionContext,
  type KeySpec,
  type ParsedCiphertext,
  cipherKeyLength,
  convergentNonce,
  decryptCiphertext,
  encryptCiphertext,
  keySpec,
} from '@custos/crypto';
import { InternalError, InvalidCiphertextError } from '../core/errors.js';
import type { KeyVersion } from '../core/key.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';
import { withMaterial } from './key-material.js';
import { aadContext, derivationContext, derivedKeyFor, keyDerivation } from './vault/derivation.js';

function cipherOf(spec: KeySpec) {
  if (spec.cipher === undefined) throw new InternalError(`${spec.name} has no cipher`);
  return spec.cipher;
}

/**
 * Seals a plaintext under a symmetric key version as ciphertext v1 with the
 * key spec's AEAD (docs/formats.md). A derived key (Vault `derived`) seals
 * under the key derived for the context's derivation entry; a convergent one
 * with the nonce derived from the message, so equal input, equal output.
 */
export function sealSymmetric(
  ctx: RequestContext,
  loaded: LoadedKey,
  version: KeyVersion,
  plaintext: Uint8Array,
  context: EncryptionContext | undefined,
): Buffer {
  const cipher = cipherOf(keySpec(loaded.key.spec));
  const ref = { keyId: loaded.key.id, keyVersion: version.version };
  const aad = aadContext(context);
  const how = keyDerivation(loaded.key);
  if (!how.derived) {
    return withMaterial(ctx, version, (key) =>
      encryptCiphertext(key, ref, plaintext, aad, { cipher }),
    );
  }
  const info = derivationContext(context);
  const length = cipherKeyLength(cipher);
  const derived = withMaterial(ctx, version, (material) =>
    derivedKeyFor(material, info, length, how.convergent),
  );
  try {
    const key = derived.bytes.subarray(0, length);
    const nonce = how.convergent
      ? convergentNonce(derived.bytes.subarray(length), plaintext, aad)
      : undefined;
    return encryptCiphertext(key, ref, plaintext, aad, {
      cipher,
      ...(nonce !== undefined && { nonce }),
    });
  } finally {
    derived.zero();
  }
}

/**
 * Opens ciphertext v1 under the version it names. A blob whose algorithm is
 * not the key's AEAD is the uniform InvalidCiphertext (never opened under
 * another cipher); a derived key without its context is the input error
 * Vault gives.
 */
export function openSymmetric(
  ctx: RequestContext,
  loaded: LoadedKey,
  version: KeyVersion,
  parsed: ParsedCiphertext,
  context: EncryptionContext | undefined,
): Buffer {
  const cipher = cipherOf(keySpec(loaded.key.spec));
  if (parsed.header.algorithm !== cipher) throw new InvalidCiphertextError();
  const aad = aadContext(context);
  if (!keyDerivation(loaded.key).derived) {
    return withMaterial(ctx, version, (key) => decryptCiphertext(key, parsed, aad));
  }
  const info = derivationContext(context);
  const derived = withMaterial(ctx, version, (material) =>
    derivedKeyFor(material, info, cipherKeyLength(cipher), false),
  );
  try {
    return decryptCiphertext(derived.bytes, parsed, aad);
  } finally {
    derived.zero();
  }
}
