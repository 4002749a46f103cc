import { InvalidInputError } from '../../core/errors.js';
import { authorize } from '../authorize.js';
import { loadAuthorizedKey } from '../authorized-key.js';
import type { RequestContext } from '../context.js';
import type { LoadedKey } from '../key-cache.js';
import { type KeyView, keyView } from '../key-view.js';
import { updateKey } from '../key-writes.js';
import { assertNotDestroyed } from '../update-key.js';
import { checkInteger } from '../validate.js';

/**
 * Vault Transit settings Custos has no column for, kept in the key's
 * attributes under `vault.` so every door sees (and ignores) them.
 */
export const VAULT_ATTRIBUTES = {
  type: 'vault.type',
  deletionAllowed: 'vault.deletion_allowed',
  minEncryptionVersion: 'vault.min_encryption_version',
  allowPlaintextBackup: 'vault.allow_plaintext_backup',
  /** Set at creation only: flipping either would orphan every ciphertext made before. */
  derived: 'vault.derived',
  convergent: 'vault.convergent_encryption',
  /** Versions below this have no material left (Vault's trim). */
  minAvailableVersion: 'vault.min_available_version',
  /** Imported keys rotate only when this was set at import (Vault's allow_rotation). */
  allowRotation: 'vault.allow_rotation',
} as const;

/** A key as the Vault door shows it: the common view plus its attributes. */
export interface VaultKeyView extends KeyView {
  readonly attributes: Readonly<Record<string, string>>;
}

export interface DescribeVaultKeyInput {
  readonly keyId: string;
}

/**
 * Describes a key with its attributes (Vault's `type`, `deletion_allowed`,
 * `min_encryption_version` live there). Authorized as kms:DescribeKey.
 *
 * @example
 * const view = await describeVaultKey(ctx, { keyId: 'alias/vault/transit/orders' });
 */
export async function describeVaultKey(
  ctx: RequestContext,
  input: DescribeVaultKeyInput,
): Promise<VaultKeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:DescribeKey');
  assertNotDestroyed(loaded);
  return vaultKeyView(ctx, loaded);
}

export function vaultKeyView(ctx: RequestContext, loaded: LoadedKey): VaultKeyView {
  return { ...keyView(ctx, loaded), attributes: loaded.key.attributes };
}

export interface ConfigureVaultKeyInput {
  readonly keyId: string;
  /** Versions below this no longer decrypt or verify (0 or absent: unchanged). */
  readonly minDecryptionVersion?: number;
  /** Oldest version encryption may name; 0 means the latest (Vault's default). */
  readonly minEncryptionVersion?: number;
  readonly deletionAllowed?: boolean;
  /** Vault never lets an exportable key become unexportable again. */
  readonly exportable?: boolean;
  readonly allowPlaintextBackup?: boolean;
}

/**
 * Vault's `POST keys/:name/config`: version floors and flags, one change.
 * Authorized as kms:UpdateKeyVersion (it decides which versions serve).
 */
export async function configureVaultKey(
  ctx: RequestContext,
  input: ConfigureVaultKeyInput,
): Promise<VaultKeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:UpdateKeyVersion');
  assertNotDestroyed(loaded);
  const { key } = loaded;
  // Vault lets a key become exportable later; since export hands out plaintext
  // material, only a caller who may export it may make it exportable.
  if (input.exportable === true && !key.exportable) authorize(ctx, 'kms:ExportKey', loaded);
  const latest = key.primaryVersion;
  const attributes: Record<string, string> = { ...key.attributes };
  let minDecryptionVersion = key.minDecryptionVersion;
  if (input.minDecryptionVersion !== undefined && input.minDecryptionVersion !== 0) {
    checkInteger('min_decryption_version', input.minDecryptionVersion, 1, latest);
    minDecryptionVersion = input.minDecryptionVersion;
  }
  if (input.minEncryptionVersion !== undefined) {
    checkInteger('min_encryption_version', input.minEncryptionVersion, 0, latest);
    attributes[VAULT_ATTRIBUTES.minEncryptionVersion] = input.minEncryptionVersion.toString();
  }
  const minEncryption = Number(attributes[VAULT_ATTRIBUTES.minEncryptionVersion] ?? '0');
  /* Precondition (openbao path_config.go): encryption never uses a version that cannot decrypt. */
  if (minEncryption !== 0 && minEncryption < minDecryptionVersion) {
    throw new InvalidInputError(
      'min_encryption_version must be 0 or at least min_decryption_version',
    );
  }
  /* Precondition (openbao path_keys_config.go): no floor may go below what trim left. */
  const minAvailable = Number(attributes[VAULT_ATTRIBUTES.minAvailableVersion] ?? '0');
  if (minAvailable > minEncryption) {
    throw new InvalidInputError(
      'min encryption version should not be less than min available version',
    );
  }
  if (minAvailable > minDecryptionVersion) {
    throw new InvalidInputError(
      'min decryption version should not be less then min available version',
    );
  }
  if (input.exportable === false && key.exportable) {
    throw new InvalidInputError('exportable keys cannot be made non-exportable');
  }
  if (input.deletionAllowed !== undefined) {
    attributes[VAULT_ATTRIBUTES.deletionAllowed] = String(input.deletionAllowed);
  }
  if (
    input.allowPlaintextBackup === false &&
    attributes[VAULT_ATTRIBUTES.allowPlaintextBackup] === 'true'
  ) {
    throw new InvalidInputError('allow_plaintext_backup cannot be disabled once enabled');
  }
  if (input.allowPlaintextBackup !== undefined) {
    attributes[VAULT_ATTRIBUTES.allowPlaintextBackup] = String(input.allowPlaintextBackup);
  }
  const updated = await updateKey(ctx, loaded, {
    minDecryptionVersion,
    attributes,
    exportable: input.exportable === true || key.exportable,
  });
  return vaultKeyView(ctx, updated);
}
