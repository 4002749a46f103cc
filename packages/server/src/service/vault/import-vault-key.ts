import {
  CryptoError,
  type KeySpec,
  type KeySpecName,
  type KeyUsage,
  type OaepHash,
  keyObjectMatchesSpec,
  keySpec,
  publicKeyFromSpki,
} from '@custos/crypto';
import {
  AlreadyExistsError,
  IncorrectKeyMaterialError,
  InvalidInputError,
  UnsupportedError,
} from '../../core/errors.js';
import { newKeyId } from '../../core/ids.js';
import type { KeyRecord, KeyVersion } from '../../core/key.js';
import { authorize } from '../authorize.js';
import { loadAuthorizedKey } from '../authorized-key.js';
import type { RequestContext } from '../context.js';
import { FINGERPRINT_ATTRIBUTE, checkMaterial, sealFingerprint } from '../import-material.js';
import type { LoadedKey } from '../key-cache.js';
import { assertUnsealed, loadKey } from '../key-loader.js';
import { changeKey } from '../key-writes.js';
import { newKeyRecord } from '../new-key-record.js';
import { newVersion } from '../new-version.js';
import { checkBytes, checkInteger } from '../validate.js';
import { keyDerivation } from './derivation.js';
import { VAULT_ATTRIBUTES, type VaultKeyView, vaultKeyView } from './vault-key.js';
import { unwrapForImport } from './wrapping-key.js';

/** An RSA-4096 private key wrapped for import stays well under this. */
const MAX_IMPORT_CIPHERTEXT_BYTES = 8192;
/** openbao's words: a derived ed25519 version is an HKDF key, which no public key stands for. */
const DERIVED_PUBLIC_KEY =
  'unable to import only public key for derived Ed25519 key: imported key should not be an Ed25519 key pair but is instead an HKDF key';

/** An RSA-4096 SPKI PEM is about 800 characters. */
const MAX_PUBLIC_KEY_PEM_CHARS = 4096;

/**
 * What an import brings: the private key (or secret key) wrapped for the
 * mount's wrapping key, or an asymmetric key's public half alone (PEM SPKI),
 * which verifies until its private half is imported with import_version.
 */
export type VaultImportMaterial =
  | {
      readonly kind: 'wrapped';
      /** RSA-OAEP(AES-256 key) ‖ AES-KWP(target key), to the mount's wrapping key. */
      readonly ciphertext: Uint8Array;
      readonly hash: OaepHash;
    }
  | { readonly kind: 'public'; readonly pem: string };

export interface ImportVaultKeyInput {
  readonly mount: string;
  /** The Vault name's alias (`alias/vault/<mount>/<name>`). */
  readonly alias: string;
  readonly spec: KeySpecName;
  readonly usage: KeyUsage;
  readonly material: VaultImportMaterial;
  readonly exportable: boolean;
  /** The Vault settings kept as attributes (type, derived, allow_plaintext_backup, …). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A version ready to store, and the material's identity (SPKI or raw bytes) sealed. */
interface PreparedVersion {
  readonly version: KeyVersion;
  readonly fingerprint: string;
}

function checkWrapped(material: VaultImportMaterial): void {
  if (material.kind === 'wrapped') {
    checkBytes('ciphertext', material.ciphertext, 1, MAX_IMPORT_CIPHERTEXT_BYTES);
  } else if (material.pem.length === 0 || material.pem.length > MAX_PUBLIC_KEY_PEM_CHARS) {
    throw new InvalidInputError(
      `public_key must be a PEM public key of at most ${String(MAX_PUBLIC_KEY_PEM_CHARS)} characters`,
    );
  }
}

/** The SPKI DER of a caller's PEM public key, checked against the spec (openbao's messages). */
function publicKeyOf(spec: KeySpec, pem: string): Buffer {
  if (spec.symmetric)
    throw new InvalidInputError('provided type does not support public_key import');
  let key;
  try {
    key = publicKeyFromSpki(pem);
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    throw new IncorrectKeyMaterialError('error parsing public key: not a PEM SPKI public key');
  }
  if (!keyObjectMatchesSpec(key, spec)) {
    throw new IncorrectKeyMaterialError(`public key is not a ${spec.name} public key`);
  }
  return key.export({ format: 'der', type: 'spki' });
}

/** A version holding only a public key: it verifies; signing and export need its private half. */
function publicOnlyVersion(
  ctx: RequestContext,
  keyId: string,
  version: number,
  spki: Buffer,
): KeyVersion {
  return {
    keyId,
    version,
    state: 'Enabled',
    createdAt: ctx.kms.clock.now(),
    wrappedMaterial: null,
    publicKey: spki,
    usageCount: 0,
    rowVersion: 1,
  };
}

async function prepareVersion(
  ctx: RequestContext,
  mount: string,
  spec: KeySpec,
  keyId: string,
  number: number,
  material: VaultImportMaterial,
): Promise<PreparedVersion> {
  if (material.kind === 'public') {
    const spki = publicKeyOf(spec, material.pem);
    return {
      version: publicOnlyVersion(ctx, keyId, number, spki),
      fingerprint: sealFingerprint(ctx.kms.keyring, keyId, spki),
    };
  }
  const secret = await unwrapForImport(ctx, mount, material.ciphertext, material.hash);
  try {
    const identity = checkMaterial(spec, secret.bytes);
    return {
      version: newVersion(ctx, keyId, number, spec, secret),
      fingerprint: sealFingerprint(ctx.kms.keyring, keyId, identity),
    };
  } finally {
    secret.zero();
  }
}

/**
 * Vault's `POST keys/:name/import` (openbao path_import.go): a new key whose
 * version 1 is the caller's material, unwrapped with the mount's wrapping
 * key and checked against the spec (raw bytes for AES/ChaCha20/HMAC, PKCS#8
 * for the rest), or an asymmetric key's public key alone. Origin EXTERNAL,
 * as every imported key; authorized as kms:CreateKey and
 * kms:ImportKeyMaterial. An existing name is refused before anything is
 * unwrapped.
 */
export async function importVaultKey(
  ctx: RequestContext,
  input: ImportVaultKeyInput,
): Promise<VaultKeyView> {
  assertUnsealed(ctx);
  authorize(ctx, 'kms:CreateKey');
  authorize(ctx, 'kms:ImportKeyMaterial');
  checkWrapped(input.material);
  const spec = keySpec(input.spec);
  if (input.material.kind === 'public' && input.attributes[VAULT_ATTRIBUTES.derived] === 'true') {
    throw new InvalidInputError(DERIVED_PUBLIC_KEY);
  }
  if ((await ctx.kms.store.getAlias(input.alias)) !== undefined) {
    throw new InvalidInputError(
      'the import path cannot be used with an existing key; use import-version to rotate an existing imported key',
    );
  }
  const now = ctx.kms.clock.now();
  const id = newKeyId();
  const prepared = await prepareVersion(ctx, input.mount, spec, id, 1, input.material);
  const key = newKeyRecord(now, {
    id,
    spec: spec.name,
    usage: input.usage,
    origin: 'EXTERNAL',
    description: `Vault transit key ${input.alias.slice('alias/vault/'.length)} (imported)`,
    exportable: input.exportable,
    attributes: { ...input.attributes, [FINGERPRINT_ATTRIBUTE]: prepared.fingerprint },
  });
  await changeKey(ctx, id, async (tx) => {
    if ((await tx.getAlias(input.alias)) !== undefined) {
      throw new AlreadyExistsError(`alias ${input.alias} already exists`);
    }
    await tx.insertKey(key);
    await tx.insertVersion(prepared.version);
    await tx.insertAlias({ name: input.alias, keyId: id, createdAt: now, updatedAt: now });
  });
  ctx.kms.cache.invalidateAlias(input.alias);
  return vaultKeyView(ctx, await loadKey(ctx, id));
}

export interface ImportVaultKeyVersionInput {
  readonly mount: string;
  readonly alias: string;
  readonly material: VaultImportMaterial;
  /** A version that holds only a public key, to receive its private key. */
  readonly version?: number | undefined;
}

/** Enabled, with a public key and no private material: waiting for its private half. */
function awaitsPrivateKey(version: KeyVersion): boolean {
  return (
    version.state === 'Enabled' && version.wrappedMaterial === null && version.publicKey !== null
  );
}

/**
 * Vault's `POST keys/:name/import_version` (openbao path_import.go,
 * policy.go ImportPublicOrPrivate, ImportPrivateKeyForVersion): with
 * `version`, that public-key-only version receives its private key, which
 * must match it. Without, a private key first completes the latest version
 * if that one is public-only and the pair matches (as openbao); otherwise
 * the material (or a public key alone) becomes the next, primary version.
 * Only keys imported before, never convergent ones. Authorized as
 * kms:ImportKeyMaterial.
 */
export async function importVaultKeyVersion(
  ctx: RequestContext,
  input: ImportVaultKeyVersionInput,
): Promise<VaultKeyView> {
  checkWrapped(input.material);
  if (input.version !== undefined) checkInteger('version', input.version, 1, 0xffffffff);
  const loaded = await loadAuthorizedKey(ctx, input.alias, 'kms:ImportKeyMaterial');
  if (loaded.key.origin !== 'EXTERNAL') {
    throw new InvalidInputError(
      'the import_version endpoint can only be used with an imported key',
    );
  }
  if (input.material.kind === 'public' && keyDerivation(loaded.key).derived) {
    throw new InvalidInputError(DERIVED_PUBLIC_KEY);
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
  if (input.version !== undefined) {
    const target = loaded.versions.find((v) => v.version === input.version);
    if (target === undefined || target.state === 'Destroyed') {
      throw new InvalidInputError('no such key version');
    }
    if (spec.symmetric) {
      throw new InvalidInputError('provided type does not support importing key versions');
    }
    if (!awaitsPrivateKey(target)) {
      throw new InvalidInputError('private key imported, key version cannot be updated');
    }
    if (input.material.kind === 'public') {
      throw new InvalidInputError(
        'cannot add a public key to a key version that already has a public key set',
      );
    }
    const completed = await completeVersion(ctx, input.mount, spec, target, input.material);
    if (completed === undefined) {
      throw new IncorrectKeyMaterialError('cannot import key, key pair does not match');
    }
    return storeVersion(ctx, loaded, completed, 'update');
  }
  const latest = loaded.versions.reduce<KeyVersion | undefined>(
    (top, v) => (top === undefined || v.version > top.version ? v : top),
    undefined,
  );
  if (input.material.kind === 'wrapped' && latest !== undefined && awaitsPrivateKey(latest)) {
    const completed = await completeVersion(ctx, input.mount, spec, latest, input.material);
    if (completed !== undefined) return storeVersion(ctx, loaded, completed, 'update');
  }
  const next = (latest?.version ?? 0) + 1;
  const prepared = await prepareVersion(
    ctx,
    input.mount,
    spec,
    loaded.key.id,
    next,
    input.material,
  );
  return storeVersion(ctx, loaded, prepared.version, 'insert');
}

/**
 * A public-key-only version with its private key added, or undefined when
 * the private key is not that public key's pair.
 */
async function completeVersion(
  ctx: RequestContext,
  mount: string,
  spec: KeySpec,
  target: KeyVersion,
  material: Extract<VaultImportMaterial, { kind: 'wrapped' }>,
): Promise<KeyVersion | undefined> {
  const secret = await unwrapForImport(ctx, mount, material.ciphertext, material.hash);
  try {
    const spki = checkMaterial(spec, secret.bytes);
    if (target.publicKey === null || !spki.equals(target.publicKey)) return undefined;
    return {
      ...target,
      wrappedMaterial: ctx.kms.keyring.wrapVersion(target.keyId, target.version, secret.bytes),
    };
  } finally {
    secret.zero();
  }
}

async function storeVersion(
  ctx: RequestContext,
  loaded: LoadedKey,
  version: KeyVersion,
  how: 'insert' | 'update',
): Promise<VaultKeyView> {
  const key: KeyRecord = {
    ...loaded.key,
    ...(how === 'insert' && { primaryVersion: version.version }),
    updatedAt: ctx.kms.clock.now(),
  };
  await changeKey(ctx, key.id, async (tx) => {
    await tx.updateKey(key);
    await (how === 'insert' ? tx.insertVersion(version) : tx.updateVersion(version));
  });
  // The keyring may hold a version's absence; a completed version must be read afresh.
  ctx.kms.keyring.forgetKey(key.id);
  return vaultKeyView(ctx, await loadKey(ctx, key.id));
}
