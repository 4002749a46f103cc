import { audited } from './audited.js';
import { createKey as createKeyOperation } from './create-key.js';
import { describeKey as describeKeyOperation } from './describe-key.js';
import { getKeyUsage as getKeyUsageOperation } from './get-key-usage.js';
import { listKeys as listKeysOperation } from './list-keys.js';
import {
  updateKeyDescription as updateKeyDescriptionOperation,
  tagKey as tagKeyOperation,
} from './update-key.js';
import { updateKeySettings as updateKeySettingsOperation } from './update-key-settings.js';
import { createAlias as createAliasOperation } from './create-alias.js';
import { updateAlias as updateAliasOperation } from './update-alias.js';
import { deleteAlias as deleteAliasOperation } from './delete-alias.js';
import { listAliases as listAliasesOperation } from './list-aliases.js';
import {
  enableKey as enableKeyOperation,
  disableKey as disableKeyOperation,
} from './enable-key.js';
import { rotateKey as rotateKeyOperation } from './rotate-key.js';
import { setKeyRotation as setKeyRotationOperation } from './set-key-rotation.js';
import { updateKeyVersion as updateKeyVersionOperation } from './update-key-version.js';
import { scheduleKeyDeletion as scheduleKeyDeletionOperation } from './schedule-key-deletion.js';
import { cancelKeyDeletion as cancelKeyDeletionOperation } from './cancel-key-deletion.js';
import { encrypt as encryptOperation } from './encrypt.js';
import { decrypt as decryptOperation } from './decrypt.js';
import { reEncrypt as reEncryptOperation } from './re-encrypt.js';
import { generateDataKey as generateDataKeyOperation } from './generate-data-key.js';
import { generateDataKeyPair as generateDataKeyPairOperation } from './generate-data-key-pair.js';
import { sign as signOperation } from './sign.js';
import { verify as verifyOperation } from './verify.js';
import { getPublicKey as getPublicKeyOperation } from './get-public-key.js';
import { generateMac as generateMacOperation } from './generate-mac.js';
import { verifyMac as verifyMacOperation } from './verify-mac.js';
import { generateRandom as generateRandomOperation } from './generate-random.js';
import { getParametersForImport as getParametersForImportOperation } from './get-parameters-for-import.js';
import { importKeyMaterial as importKeyMaterialOperation } from './import-key-material.js';
import { deleteImportedKeyMaterial as deleteImportedKeyMaterialOperation } from './delete-imported-key-material.js';
import { exportKey as exportKeyOperation } from './export-key.js';
import { backupKey as backupKeyOperation } from './backup-key.js';
import { restoreKey as restoreKeyOperation } from './restore-key.js';
import { listAuditRecords as listAuditRecordsOperation } from './list-audit-records.js';
import {
  type AuditPublicKey,
  getAuditPublicKey as getAuditPublicKeyOperation,
} from './get-audit-public-key.js';
import { createGrant as createGrantOperation } from './key-access/create-grant.js';
import {
  getKeyPolicy as getKeyPolicyOperation,
  listKeyPolicies as listKeyPoliciesOperation,
  putKeyPolicy as putKeyPolicyOperation,
} from './key-access/key-policy.js';
import {
  listGrants as listGrantsOperation,
  listRetirableGrants as listRetirableGrantsOperation,
} from './key-access/list-grants.js';
import {
  retireGrant as retireGrantOperation,
  revokeGrant as revokeGrantOperation,
} from './key-access/retire-grant.js';
import { createPrincipal as createPrincipalOperation } from './identity/create-principal.js';
import { createToken as createTokenOperation } from './identity/create-token.js';
import { deletePolicy as deletePolicyOperation } from './identity/delete-policy.js';
import { deletePrincipal as deletePrincipalOperation } from './identity/delete-principal.js';
import { describePrincipal as describePrincipalOperation } from './identity/describe-principal.js';
import { getPolicy as getPolicyOperation } from './identity/get-policy.js';
import { listPolicies as listPoliciesOperation } from './identity/list-policies.js';
import { listPrincipals as listPrincipalsOperation } from './identity/list-principals.js';
import { listTokens as listTokensOperation } from './identity/list-tokens.js';
import {
  type LookupSelfOutput,
  lookupSelf as lookupSelfOperation,
} from './identity/lookup-self.js';
import { mapCertificate as mapCertificateOperation } from './identity/map-certificate.js';
import { putPolicy as putPolicyOperation } from './identity/put-policy.js';
import { revokeToken as revokeTokenOperation } from './identity/revoke-token.js';
import { unmapCertificate as unmapCertificateOperation } from './identity/unmap-certificate.js';
import { updatePrincipal as updatePrincipalOperation } from './identity/update-principal.js';

// Every operation a door may call, each through audited(): one audit record per
// call, fail closed (docs/audit.md). service/index.ts and identity/index.ts
// re-export these by name, which shadows the unaudited functions of the same
// names that their `export *` lines also carry. Names are the operations'
// names in audit records. A new operation is added here as well.

export const createKey = audited('createKey', createKeyOperation);
export const describeKey = audited('describeKey', describeKeyOperation);
export const getKeyUsage = audited('getKeyUsage', getKeyUsageOperation);
export const listKeys = audited('listKeys', listKeysOperation);
export const updateKeyDescription = audited('updateKeyDescription', updateKeyDescriptionOperation);
export const tagKey = audited('tagKey', tagKeyOperation);
export const updateKeySettings = audited('updateKeySettings', updateKeySettingsOperation);
export const createAlias = audited('createAlias', createAliasOperation);
export const updateAlias = audited('updateAlias', updateAliasOperation);
export const deleteAlias = audited('deleteAlias', deleteAliasOperation);
export const listAliases = audited('listAliases', listAliasesOperation);
export const enableKey = audited('enableKey', enableKeyOperation);
export const disableKey = audited('disableKey', disableKeyOperation);
export const rotateKey = audited('rotateKey', rotateKeyOperation);
export const setKeyRotation = audited('setKeyRotation', setKeyRotationOperation);
export const updateKeyVersion = audited('updateKeyVersion', updateKeyVersionOperation);
export const scheduleKeyDeletion = audited('scheduleKeyDeletion', scheduleKeyDeletionOperation);
export const cancelKeyDeletion = audited('cancelKeyDeletion', cancelKeyDeletionOperation);
export const encrypt = audited('encrypt', encryptOperation);
export const decrypt = audited('decrypt', decryptOperation);
export const reEncrypt = audited('reEncrypt', reEncryptOperation);
export const generateDataKey = audited('generateDataKey', generateDataKeyOperation);
export const generateDataKeyPair = audited('generateDataKeyPair', generateDataKeyPairOperation);
export const sign = audited('sign', signOperation);
export const verify = audited('verify', verifyOperation);
export const getPublicKey = audited('getPublicKey', getPublicKeyOperation);
export const generateMac = audited('generateMac', generateMacOperation);
export const verifyMac = audited('verifyMac', verifyMacOperation);
export const generateRandom = audited('generateRandom', generateRandomOperation);
export const getParametersForImport = audited(
  'getParametersForImport',
  getParametersForImportOperation,
);
export const importKeyMaterial = audited('importKeyMaterial', importKeyMaterialOperation);
export const deleteImportedKeyMaterial = audited(
  'deleteImportedKeyMaterial',
  deleteImportedKeyMaterialOperation,
);
export const exportKey = audited('exportKey', exportKeyOperation);
export const backupKey = audited('backupKey', backupKeyOperation);
export const restoreKey = audited('restoreKey', restoreKeyOperation);

// Per-key access: grants and key policies.
export const createGrant = audited('createGrant', createGrantOperation);
export const listGrants = audited('listGrants', listGrantsOperation);
export const listRetirableGrants = audited('listRetirableGrants', listRetirableGrantsOperation);
export const retireGrant = audited('retireGrant', retireGrantOperation);
export const revokeGrant = audited('revokeGrant', revokeGrantOperation);
export const getKeyPolicy = audited('getKeyPolicy', getKeyPolicyOperation);
export const putKeyPolicy = audited('putKeyPolicy', putKeyPolicyOperation);
export const listKeyPolicies = audited('listKeyPolicies', listKeyPoliciesOperation);

// Identity administration.
export const createPrincipal = audited('createPrincipal', createPrincipalOperation);
export const createToken = audited('createToken', createTokenOperation);
export const deletePolicy = audited('deletePolicy', deletePolicyOperation);
export const deletePrincipal = audited('deletePrincipal', deletePrincipalOperation);
export const describePrincipal = audited('describePrincipal', describePrincipalOperation);
export const getPolicy = audited('getPolicy', getPolicyOperation);
export const listPolicies = audited('listPolicies', listPoliciesOperation);
export const listPrincipals = audited('listPrincipals', listPrincipalsOperation);
export const listTokens = audited('listTokens', listTokensOperation);
// lookupSelf takes no input; `void` keeps `lookupSelf(ctx)` a valid call.
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
export const lookupSelf = audited<void, LookupSelfOutput>('lookupSelf', (ctx) =>
  lookupSelfOperation(ctx),
);
export const mapCertificate = audited('mapCertificate', mapCertificateOperation);
export const putPolicy = audited('putPolicy', putPolicyOperation);
export const revokeToken = audited('revokeToken', revokeTokenOperation);
export const unmapCertificate = audited('unmapCertificate', unmapCertificateOperation);
export const updatePrincipal = audited('updatePrincipal', updatePrincipalOperation);

// The audit log itself: reading it is audited too.
export const listAuditRecords = audited('listAuditRecords', listAuditRecordsOperation);
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
export const getAuditPublicKey = audited<void, AuditPublicKey>('getAuditPublicKey', (ctx) =>
  getAuditPublicKeyOperation(ctx),
);
