import { createAlias, deleteAlias, listAliases, updateAlias } from './operations/aliases.js';
import { createKey } from './operations/create-key.js';
import { decrypt } from './operations/decrypt.js';
import { describeKey } from './operations/describe-key.js';
import { encrypt } from './operations/encrypt.js';
import {
  generateDataKeyPair,
  generateDataKeyPairWithoutPlaintext,
} from './operations/generate-data-key-pair.js';
import {
  generateDataKey,
  generateDataKeyWithoutPlaintext,
} from './operations/generate-data-key.js';
import { generateRandom } from './operations/generate-random.js';
import { getPublicKey } from './operations/get-public-key.js';
import {
  createGrant,
  listGrants,
  listRetirableGrants,
  retireGrant,
  revokeGrant,
} from './operations/grants.js';
import {
  deleteImportedKeyMaterial,
  getParametersForImport,
  importKeyMaterial,
} from './operations/import.js';
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from './operations/key-policies.js';
import {
  cancelKeyDeletion,
  disableKey,
  enableKey,
  scheduleKeyDeletion,
} from './operations/lifecycle.js';
import { listKeys } from './operations/list-keys.js';
import { generateMac, verifyMac } from './operations/mac.js';
import { reEncrypt } from './operations/re-encrypt.js';
import {
  disableKeyRotation,
  enableKeyRotation,
  getKeyRotationStatus,
  listKeyRotations,
  rotateKeyOnDemand,
} from './operations/rotation.js';
import { sign, verify } from './operations/sign.js';
import { listResourceTags, tagResource, untagResource } from './operations/tags.js';
import { updateKeyDescription } from './operations/update-key-description.js';
import type { AwsOperation } from './wire.js';

/** `X-Amz-Target: TrentService.<Action>` → the operation; anything else is UnknownOperationException. */
export const ACTIONS: Readonly<Record<string, AwsOperation>> = {
  CreateKey: createKey,
  DescribeKey: describeKey,
  ListKeys: listKeys,
  UpdateKeyDescription: updateKeyDescription,
  CreateAlias: createAlias,
  UpdateAlias: updateAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
  Encrypt: encrypt,
  Decrypt: decrypt,
  ReEncrypt: reEncrypt,
  GenerateDataKey: generateDataKey,
  GenerateDataKeyWithoutPlaintext: generateDataKeyWithoutPlaintext,
  GenerateDataKeyPair: generateDataKeyPair,
  GenerateDataKeyPairWithoutPlaintext: generateDataKeyPairWithoutPlaintext,
  Sign: sign,
  Verify: verify,
  GetPublicKey: getPublicKey,
  GenerateMac: generateMac,
  VerifyMac: verifyMac,
  GenerateRandom: generateRandom,
  EnableKey: enableKey,
  DisableKey: disableKey,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  CancelKeyDeletion: cancelKeyDeletion,
  EnableKeyRotation: enableKeyRotation,
  DisableKeyRotation: disableKeyRotation,
  GetKeyRotationStatus: getKeyRotationStatus,
  RotateKeyOnDemand: rotateKeyOnDemand,
  ListKeyRotations: listKeyRotations,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListResourceTags: listResourceTags,
  GetParametersForImport: getParametersForImport,
  ImportKeyMaterial: importKeyMaterial,
  DeleteImportedKeyMaterial: deleteImportedKeyMaterial,
  CreateGrant: createGrant,
  ListGrants: listGrants,
  RetireGrant: retireGrant,
  RevokeGrant: revokeGrant,
  ListRetirableGrants: listRetirableGrants,
  GetKeyPolicy: getKeyPolicy,
  PutKeyPolicy: putKeyPolicy,
  ListKeyPolicies: listKeyPolicies,
};

const TARGET_PREFIX = 'TrentService.';

export function operationFor(target: string | undefined): AwsOperation | undefined {
  if (!target?.startsWith(TARGET_PREFIX)) return undefined;
  const action = target.slice(TARGET_PREFIX.length);
  return Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
}
