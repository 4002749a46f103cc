import { audited } from '../audited.js';
import { deleteVaultKey as deleteVaultKeyOperation } from './delete-vault-key.js';
import { exportVaultKey as exportVaultKeyOperation } from './export-vault-key.js';
import {
  importVaultKey as importVaultKeyOperation,
  importVaultKeyVersion as importVaultKeyVersionOperation,
} from './import-vault-key.js';
import { derivedPublicKeys as derivedPublicKeysOperation } from './derived-public-keys.js';
import { rotateVaultKey as rotateVaultKeyOperation } from './rotate-vault-key.js';
import { vaultWrappingKey as vaultWrappingKeyOperation } from './wrapping-key.js';
import { trimVaultKey as trimVaultKeyOperation } from './trim-vault-key.js';
import {
  configureVaultKey as configureVaultKeyOperation,
  describeVaultKey as describeVaultKeyOperation,
} from './vault-key.js';

export { VAULT_ATTRIBUTES, type VaultKeyView } from './vault-key.js';
export { DERIVATION_CONTEXT_KEY } from './derivation.js';
export type { ConfigureVaultKeyInput, DescribeVaultKeyInput } from './vault-key.js';
export type { DeleteVaultKeyInput } from './delete-vault-key.js';
export type { TrimVaultKeyInput } from './trim-vault-key.js';
export type { RotateVaultKeyInput } from './rotate-vault-key.js';
export type { DerivedPublicKeysInput } from './derived-public-keys.js';
export {
  VAULT_EXPORT_TYPES,
  type ExportVaultKeyInput,
  type ExportVaultKeyOutput,
  type VaultExportType,
} from './export-vault-key.js';
export { EXPORT_FORMATS, type ExportFormat } from './export-encoding.js';
export type {
  ImportVaultKeyInput,
  ImportVaultKeyVersionInput,
  VaultImportMaterial,
} from './import-vault-key.js';
export { wrappingKeyAlias, type VaultWrappingKeyInput } from './wrapping-key.js';

/** Vault-only operations, audited like every other (one record per call, fail closed). */
export const describeVaultKey = audited('vaultDescribeKey', describeVaultKeyOperation);
export const configureVaultKey = audited('vaultConfigureKey', configureVaultKeyOperation);
export const deleteVaultKey = audited('vaultDeleteKey', deleteVaultKeyOperation);
export const trimVaultKey = audited('vaultTrimKey', trimVaultKeyOperation);
export const rotateVaultKey = audited('vaultRotateKey', rotateVaultKeyOperation);
export const derivedPublicKeys = audited('vaultDerivedPublicKeys', derivedPublicKeysOperation);
export const exportVaultKey = audited('vaultExportKey', exportVaultKeyOperation);
export const vaultWrappingKey = audited('vaultWrappingKey', vaultWrappingKeyOperation);
export const importVaultKey = audited('vaultImportKey', importVaultKeyOperation);
export const importVaultKeyVersion = audited(
  'vaultImportKeyVersion',
  importVaultKeyVersionOperation,
);
