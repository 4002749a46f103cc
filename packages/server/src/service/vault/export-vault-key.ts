import { type KeySpecName, keySpec } from '@custos/crypto';
import { InvalidInputError, InvalidStateError, UnsupportedError } from '../../core/errors.js';
import type { KeyVersion } from '../../core/key.js';
import { loadAuthorizedKey } from '../authorized-key.js';
import type { RequestContext } from '../context.js';
import type { LoadedKey } from '../key-cache.js';
import { withMaterial } from '../key-material.js';
import { assertNotDestroyed } from '../update-key.js';
import {
  type ExportFormat,
  encodePrivate,
  encodePublic,
  encodeSymmetric,
} from './export-encoding.js';
import { minAvailableVersion } from './trim-vault-key.js';
import { VAULT_ATTRIBUTES } from './vault-key.js';

export const VAULT_EXPORT_TYPES = [
  'encryption-key',
  'signing-key',
  'hmac-key',
  'public-key',
] as const;
export type VaultExportType = (typeof VAULT_EXPORT_TYPES)[number];

export interface ExportVaultKeyInput {
  readonly keyId: string;
  readonly type: VaultExportType;
  /** Absent: every version; 'latest'; or a version number. */
  readonly version?: number | 'latest';
  readonly format: ExportFormat;
}

export interface ExportVaultKeyOutput {
  readonly spec: KeySpecName;
  /** The Vault type the key was created as, when it was made through the Vault door. */
  readonly vaultType: string | undefined;
  /** Version number → the key in Vault's encoding for `type` and `format`. */
  readonly keys: Readonly<Record<string, string>>;
}

/**
 * Vault's `GET export/:type/:name[/:version]` (openbao path_export.go): key
 * material in plaintext, so only for keys created `exportable` (public keys
 * always). Authorized as kms:ExportKey, or kms:GetPublicKey for public keys.
 *
 * @example
 * const { keys } = await exportVaultKey(ctx, { keyId, type: 'encryption-key', format: '' });
 */
export async function exportVaultKey(
  ctx: RequestContext,
  input: ExportVaultKeyInput,
): Promise<ExportVaultKeyOutput> {
  const isPublic = input.type === 'public-key';
  const action = isPublic ? 'kms:GetPublicKey' : 'kms:ExportKey';
  const loaded = await loadAuthorizedKey(ctx, input.keyId, action);
  assertNotDestroyed(loaded);
  if (loaded.key.state === 'PendingDeletion') {
    throw new InvalidStateError(`key ${loaded.key.id} is pending deletion`);
  }
  /* Precondition (openbao path_export.go): private material leaves only exportable keys. */
  if (!isPublic && !loaded.key.exportable) {
    throw new InvalidInputError('private key material is not exportable');
  }
  const encode = encoderFor(ctx, loaded, input.type, input.format);
  const keys: Record<string, string> = {};
  for (const version of exportedVersions(loaded, input.version)) {
    keys[String(version.version)] = encode(version);
  }
  return { keys, spec: loaded.key.spec, vaultType: loaded.key.attributes[VAULT_ATTRIBUTES.type] };
}

/** The versions asked for: all that still have material, or one named that may decrypt. */
function exportedVersions(loaded: LoadedKey, wanted: number | 'latest' | undefined): KeyVersion[] {
  const floor = minAvailableVersion(loaded.key);
  const live = loaded.versions.filter((v) => v.state !== 'Destroyed' && v.version >= floor);
  if (wanted === undefined) return live;
  const number = wanted === 'latest' ? loaded.key.primaryVersion : wanted;
  if (number < loaded.key.minDecryptionVersion) {
    throw new InvalidInputError('version for export is below minimum decryption version');
  }
  const found = live.find((v) => v.version === number);
  if (found === undefined) throw new InvalidInputError('version does not exist or cannot be found');
  return [found];
}

function encoderFor(
  ctx: RequestContext,
  loaded: LoadedKey,
  type: VaultExportType,
  format: ExportFormat,
): (version: KeyVersion) => string {
  const spec = keySpec(loaded.key.spec);
  const symmetric = (version: KeyVersion) =>
    withMaterial(ctx, version, (bytes) => encodeSymmetric(bytes, format));
  switch (type) {
    case 'encryption-key':
      if (spec.cipher === undefined)
        throw new InvalidInputError('encryption not supported for the key');
      return symmetric;
    case 'hmac-key':
      if (spec.family !== 'hmac') {
        throw new UnsupportedError(
          'Custos keeps no separate HMAC key for this key type; only hmac keys export one',
        );
      }
      return symmetric;
    case 'signing-key':
      if (spec.symmetric || loaded.key.usage !== 'SIGN_VERIFY') {
        throw new InvalidInputError('signing not supported for the key');
      }
      return (version) => withMaterial(ctx, version, (pkcs8) => encodePrivate(pkcs8, format));
    case 'public-key':
      if (spec.symmetric) throw new InvalidInputError(`key type ${spec.name} has no public key`);
      return (version) => {
        if (version.publicKey === null) throw new InvalidStateError('version has no public key');
        return encodePublic(version.publicKey, format);
      };
  }
}
