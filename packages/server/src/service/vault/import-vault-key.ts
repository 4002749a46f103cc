import { type KeySpecName, type KeyUsage, type OaepHash, keySpec } from '@custos/crypto';
import { AlreadyExistsError, InvalidInputError, UnsupportedError } from '../../core/errors.js';
import { newKeyId } from '../../core/ids.js';
import type { KeyRecord, KeyVersion } from '../../core/key.js';
import { authorize } from '../authorize.js';
import { loadAuthorizedKey } from '../authorized-key.js';
import type { RequestContext } from '../context.js';
import { FINGERPRINT_ATTRIBUTE, checkMaterial, sealFingerprint } from '../import-material.js';
import { assertUnsealed, loadKey } from '../key-loader.js';
import { changeKey } from '../key-writes.js';
import { newVersion } from '../new-version.js';
import { checkBytes } from '../validate.js';
import { keyDerivation } from './derivation.js';
import { type VaultKeyView, vaultKeyView } from './vault-key.js';
import { unwrapForImport } from './wrapping-key.js';

/** An RSA-4096 private key wrapped for import stays well under this. */
const MAX_IMPORT_CIPHERTEXT_BYTES = 8192;

export interface ImportVaultKeyInput {
  readonly mount: string;
  /** The Vault name's alias (`alias/vault/<mount>/<name>`). */
  readonly alias: string;
  readonly spec: KeySpecName;
  readonly usage: KeyUsage;
  /** RSA-OAEP(AES-256 key) ‖ AES-KWP(target key), to the mount's wrapping key. */
  readonly ciphertext: Uint8Array;
  readonly hash: OaepHash;
  readonly exportable: boolean;
  /** The Vault settings kept as attributes (type, derived, allow_plaintext_backup). */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Vault's `POST keys/:name/import` (openbao path_import.go): a new key whose
 * version 1 is the caller's material, unwrapped with the mount's wrapping
 * key and checked against the spec (raw bytes for AES/ChaCha20/HMAC, PKCS#8
 * for the rest). Origin EXTERNAL, as every imported key; authorized as
 * kms:CreateKey and kms:ImportKeyMaterial. An existing name is refused.
 */
export async function importVaultKey(
  ctx: RequestContext,
  input: ImportVaultKeyInput,
): Promise<VaultKeyView> {
  assertUnsealed(ctx);
  authorize(ctx, 'kms:CreateKey');
  authorize(ctx, 'kms:ImportKeyMaterial');
  checkBytes('ciphertext', input.ciphertext, 1, MAX_IMPORT_CIPHERTEXT_BYTES);
  const spec = keySpec(input.spec);
  if ((await ctx.kms.store.getAlias(input.alias)) !== undefined) {
    throw new InvalidInputError(
      'the import path cannot be used with an existing key; use import-version to rotate an existing imported key',
    );
  }
  const material = await unwrapForImport(ctx, input.mount, input.ciphertext, input.hash);
  const now = ctx.kms.clock.now();
  const id = newKeyId();
  let key: KeyRecord;
  let version: KeyVersion;
  try {
    const identity = checkMaterial(spec, material.bytes);
    key = {
      id,
      spec: spec.name,
      usage: input.usage,
      origin: 'EXTERNAL',
      description: `Vault transit key ${input.alias.slice('alias/vault/'.length)} (imported)`,
      tags: {},
      state: 'Enabled',
      exportable: input.exportable,
      rotationPeriodDays: null,
      nextRotationAt: null,
      primaryVersion: 1,
      minDecryptionVersion: 1,
      deletionDate: null,
      materialExpiresAt: null,
      createdAt: now,
      updatedAt: now,
      attributes: {
        ...input.attributes,
        [FINGERPRINT_ATTRIBUTE]: sealFingerprint(ctx.kms.keyring, id, identity),
      },
      rowVersion: 1,
    };
    version = newVersion(ctx, id, 1, spec, material);
  } finally {
    material.zero();
  }
  const record = key;
  const first = version;
  await changeKey(ctx, id, async (tx) => {
    if ((await tx.getAlias(input.alias)) !== undefined) {
      throw new AlreadyExistsError(`alias ${input.alias} already exists`);
    }
    await tx.insertKey(record);
    await tx.insertVersion(first);
    await tx.insertAlias({ name: input.alias, keyId: id, createdAt: now, updatedAt: now });
  });
  ctx.kms.cache.invalidateAlias(input.alias);
  return vaultKeyView(ctx, await loadKey(ctx, id));
}

export interface ImportVaultKeyVersionInput {
  readonly mount: string;
  readonly alias: string;
  readonly ciphertext: Uint8Array;
  readonly hash: OaepHash;
}

/**
 * Vault's `POST keys/:name/import_version`: new material for an imported
 * key becomes its next, primary version. Only keys imported before, never
 * convergent ones (their nonces are tied to versions Vault made).
 * Authorized as kms:ImportKeyMaterial.
 */
export async function importVaultKeyVersion(
  ctx: RequestContext,
  input: ImportVaultKeyVersionInput,
): Promise<VaultKeyView> {
  checkBytes('ciphertext', input.ciphertext, 1, MAX_IMPORT_CIPHERTEXT_BYTES);
  const loaded = await loadAuthorizedKey(ctx, input.alias, 'kms:ImportKeyMaterial');
  if (loaded.key.origin !== 'EXTERNAL') {
    throw new InvalidInputError(
      'the import_version endpoint can only be used with an imported key',
    );
  }
  if (keyDerivation(loaded.key).convergent) {
    throw new InvalidInputError(
      'import_version cannot be used on keys with convergent encryption enabled',
    );
  }
  if (loaded.key.state !== 'Enabled') {
    throw new UnsupportedError(`key ${loaded.key.id} is ${loaded.key.state}`);
  }
  const spec = keySpec(loaded.key.spec);
  const material = await unwrapForImport(ctx, input.mount, input.ciphertext, input.hash);
  const next = Math.max(0, ...loaded.versions.map((v) => v.version)) + 1;
  let version: KeyVersion;
  try {
    checkMaterial(spec, material.bytes);
    version = newVersion(ctx, loaded.key.id, next, spec, material);
  } finally {
    material.zero();
  }
  const added = version;
  const key: KeyRecord = { ...loaded.key, primaryVersion: next, updatedAt: ctx.kms.clock.now() };
  await changeKey(ctx, key.id, async (tx) => {
    await tx.updateKey(key);
    await tx.insertVersion(added);
  });
  return vaultKeyView(ctx, await loadKey(ctx, key.id));
}
