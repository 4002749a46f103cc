export * from './authorizer.js';
export * from './clock.js';
export * from './context.js';
export * from './kms.js';
export * from './seal-state.js';
export * from './scheduled-work.js';
export type { KeyView, KeyVersionView } from './key-view.js';
export * from './create-key.js';
export * from './describe-key.js';
export * from './get-key-usage.js';
export * from './list-keys.js';
export * from './update-key.js';
export * from './update-key-settings.js';
export * from './create-alias.js';
export * from './update-alias.js';
export * from './delete-alias.js';
export * from './list-aliases.js';
export * from './enable-key.js';
export * from './rotate-key.js';
export * from './set-key-rotation.js';
export * from './update-key-version.js';
export * from './schedule-key-deletion.js';
export * from './cancel-key-deletion.js';
export * from './encrypt.js';
export * from './decrypt.js';
export * from './re-encrypt.js';
export * from './generate-data-key.js';
export * from './generate-data-key-pair.js';
export * from './sign.js';
export * from './verify.js';
export * from './get-public-key.js';
export * from './generate-mac.js';
export * from './verify-mac.js';
export * from './generate-random.js';
export type { WrappingAlgorithm, WrappingKeySpec } from './import-wrapping.js';
export * from './get-parameters-for-import.js';
export * from './import-key-material.js';
export * from './delete-imported-key-material.js';
export * from './export-key.js';
export * from './backup-key.js';
export * from './restore-key.js';
export * from './list-audit-records.js';
export * from './get-audit-public-key.js';
export * from './record-refusal.js';
export * from './key-access/index.js';
// The operations through audited() (one audit record per call, fail closed):
// named re-exports shadow the unaudited functions the lines above also carry.
export {
  createKey,
  describeKey,
  getKeyUsage,
  listKeys,
  updateKeyDescription,
  tagKey,
  updateKeySettings,
  createAlias,
  updateAlias,
  deleteAlias,
  listAliases,
  enableKey,
  disableKey,
  rotateKey,
  setKeyRotation,
  updateKeyVersion,
  scheduleKeyDeletion,
  cancelKeyDeletion,
  encrypt,
  decrypt,
  reEncrypt,
  generateDataKey,
  generateDataKeyPair,
  sign,
  verify,
  getPublicKey,
  generateMac,
  verifyMac,
  generateRandom,
  getParametersForImport,
  importKeyMaterial,
  deleteImportedKeyMaterial,
  exportKey,
  backupKey,
  restoreKey,
  createGrant,
  listGrants,
  listRetirableGrants,
  retireGrant,
  revokeGrant,
  getKeyPolicy,
  putKeyPolicy,
  listKeyPolicies,
  listAuditRecords,
  getAuditPublicKey,
} from './audited-operations.js';
