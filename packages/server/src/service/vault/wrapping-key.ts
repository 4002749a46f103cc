import { keySpec, rsaAesKeyUnwrap, type OaepHash, type SecretBytes } from '@custos/crypto';
import { AlreadyExistsError, InvalidInputError, KmsError } from '../../core/errors.js';
import { newKeyId } from '../../core/ids.js';
import { authorize } from '../authorize.js';
import type { RequestContext } from '../context.js';
import type { LoadedKey } from '../key-cache.js';
import { assertUnsealed, loadKey } from '../key-loader.js';
import { primaryVersion, publicKeyObject, withPrivateKey } from '../key-material.js';
import { changeKey } from '../key-writes.js';
import { newKeyRecord } from '../new-key-record.js';
import { newVersion } from '../new-version.js';

/**
 * The alias of a mount's BYOK wrapping key: outside `alias/vault/<mount>/`,
 * so no Vault key name can reach it, and per mount, as Vault keeps one
 * `import/wrapping-key` policy per mount (openbao path_wrapping_key.go).
 */
export function wrappingKeyAlias(mount: string): string {
  return `alias/vault-wrapping-key/${mount}`;
}

/** openbao path_import.go: the ephemeral AES key is RSA-OAEP-wrapped to RSA-4096, 512 bytes. */
const RSA_4096_BYTES = 512;

export interface VaultWrappingKeyInput {
  readonly mount: string;
}

/**
 * Vault's `GET wrapping_key`: the mount's RSA-4096 public key, PEM SPKI,
 * created on first use as Vault does. The key is an ordinary Custos key
 * (RSA_4096, ENCRYPT_DECRYPT, its private half sealed like any other).
 * Authorized as kms:GetParametersForImport, AWS's request for a wrapping key.
 */
export async function vaultWrappingKey(
  ctx: RequestContext,
  input: VaultWrappingKeyInput,
): Promise<{ readonly publicKeyPem: string }> {
  assertUnsealed(ctx);
  authorize(ctx, 'kms:GetParametersForImport');
  const loaded = await loadOrCreate(ctx, wrappingKeyAlias(input.mount));
  const pem = publicKeyObject(primaryVersion(loaded)).export({ format: 'pem', type: 'spki' });
  return { publicKeyPem: pem.toString() };
}

/**
 * Unwraps BYOK ciphertext (openbao path_import.go, decryptImportedKey):
 * RSA-OAEP(hash, MGF1 with the same hash, no label) of a 32-byte AES key,
 * then that key's AES-KWP (RFC 5649) wrap of the target key. Every failure
 * is the same input error, which says nothing about where it failed.
 */
export async function unwrapForImport(
  ctx: RequestContext,
  mount: string,
  ciphertext: Uint8Array,
  hash: OaepHash,
): Promise<SecretBytes> {
  if (ciphertext.length <= RSA_4096_BYTES) {
    throw new InvalidInputError('provided ciphertext is too short');
  }
  const loaded = await loadOrCreate(ctx, wrappingKeyAlias(mount));
  try {
    return withPrivateKey(ctx, primaryVersion(loaded), (key) =>
      rsaAesKeyUnwrap(key, hash, ciphertext),
    );
  } catch (error) {
    if (error instanceof KmsError) throw error;
    throw new InvalidInputError("the ciphertext does not unwrap under this mount's wrapping key");
  }
}

async function loadOrCreate(ctx: RequestContext, alias: string): Promise<LoadedKey> {
  try {
    return await loadKey(ctx, alias);
  } catch (error) {
    if (!(error instanceof KmsError && error.code === 'NOT_FOUND')) throw error;
  }
  try {
    await createWrappingKey(ctx, alias);
  } catch (error) {
    // Another request created it first: use that one.
    if (!(error instanceof KmsError && error.code === 'ALREADY_EXISTS')) throw error;
  }
  return loadKey(ctx, alias);
}

/** A mount-level key the service makes for itself, whoever asked first. */
async function createWrappingKey(ctx: RequestContext, alias: string): Promise<void> {
  const spec = keySpec('RSA_4096');
  const now = ctx.kms.clock.now();
  const id = newKeyId();
  const key = newKeyRecord(now, {
    id,
    spec: spec.name,
    usage: 'ENCRYPT_DECRYPT',
    origin: 'CUSTOS',
    description: `Vault BYOK wrapping key of mount ${alias.slice(alias.lastIndexOf('/') + 1)}`,
  });
  const version = newVersion(ctx, id, 1, spec);
  await changeKey(ctx, id, async (tx) => {
    if ((await tx.getAlias(alias)) !== undefined)
      throw new AlreadyExistsError(`alias ${alias} exists`);
    await tx.insertKey(key);
    await tx.insertVersion(version);
    await tx.insertAlias({ name: alias, keyId: id, createdAt: now, updatedAt: now });
  });
  ctx.kms.cache.invalidateAlias(alias);
}
