import { audited } from '../audited.js';
import { deleteVaultKey as deleteVaultKeyOperation } from './delete-vault-key.js';
import {
  configureVaultKey as configureVaultKeyOperation,
  describeVaultKey as describeVaultKeyOperation,
} from './vault-key.js';

export { VAULT_ATTRIBUTES, type VaultKeyView } from './vault-key.js';
export { DERIVATION_CONTEXT_KEY } from './derivation.js';
export type { ConfigureVaultKeyInput, DescribeVaultKeyInput } from './vault-key.js';
export type { DeleteVaultKeyInput } from './delete-vault-key.js';

/** Vault-only operations, audited like every other (one record per call, fail closed). */
export const describeVaultKey = audited('vaultDescribeKey', describeVaultKeyOperation);
export const configureVaultKey = audited('vaultConfigureKey', configureVaultKeyOperation);
export const deleteVaultKey = audited('vaultDeleteKey', deleteVaultKeyOperation);
