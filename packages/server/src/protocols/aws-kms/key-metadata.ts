import type { KeySpecName } from '@custos/crypto';
import type { KeyView } from '../../service/key-view.js';
import { type AwsPartition, keyArn } from './arn.js';
import { epochSeconds } from './wire.js';

/** AWS's KeySpec values (CreateKey, KeyMetadata), as AWS's API model lists them. */
export const AWS_KEY_SPECS = [
  'ECC_NIST_EDWARDS25519',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'ML_KEM_1024',
  'ML_KEM_512',
  'ML_KEM_768',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'SM2',
  'SYMMETRIC_DEFAULT',
] as const;

/** The deprecated CustomerMasterKeySpec's values: KeySpec's before Ed25519 and ML-DSA/ML-KEM. */
export const AWS_CUSTOMER_MASTER_KEY_SPECS = [
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'SM2',
  'SYMMETRIC_DEFAULT',
] as const;

/** Custos spec names to AWS KeySpec; only these two differ. */
const AWS_SPEC: Partial<Record<KeySpecName, string>> = {
  AES_256: 'SYMMETRIC_DEFAULT',
  ED25519: 'ECC_NIST_EDWARDS25519',
};

export const awsKeySpec = (spec: KeySpecName): string => AWS_SPEC[spec] ?? spec;

/** AWS KeySpec (or the deprecated CustomerMasterKeySpec) to the Custos spec name. */
export function custosKeySpec(spec: string): string {
  for (const [custos, aws] of Object.entries(AWS_SPEC)) if (aws === spec) return custos;
  return spec;
}

const AWS_ORIGIN = { CUSTOS: 'AWS_KMS', EXTERNAL: 'EXTERNAL', HSM: 'AWS_CLOUDHSM' } as const;

/** AWS's KeyMetadata for a key (DescribeKey, CreateKey). */
export function keyMetadata(p: AwsPartition, view: KeyView): Record<string, unknown> {
  return {
    AWSAccountId: p.accountId,
    KeyId: view.keyId,
    Arn: keyArn(p, view.keyId),
    CreationDate: epochSeconds(view.createdAt),
    Enabled: view.state === 'Enabled',
    Description: view.description,
    KeyUsage: view.usage,
    KeyState: view.state,
    ...(view.deletionDate !== null && { DeletionDate: epochSeconds(view.deletionDate) }),
    ...(view.materialExpiresAt !== null && {
      ValidTo: epochSeconds(view.materialExpiresAt),
      ExpirationModel: 'KEY_MATERIAL_EXPIRES',
    }),
    ...(view.origin === 'EXTERNAL' &&
      view.materialExpiresAt === null && { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }),
    Origin: AWS_ORIGIN[view.origin],
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: awsKeySpec(view.spec),
    KeySpec: awsKeySpec(view.spec),
    ...(view.encryptionAlgorithms.length > 0 && {
      EncryptionAlgorithms: view.encryptionAlgorithms,
    }),
    ...(view.signingAlgorithms.length > 0 && { SigningAlgorithms: view.signingAlgorithms }),
    ...(view.macAlgorithms.length > 0 && { MacAlgorithms: view.macAlgorithms }),
    MultiRegion: false,
  };
}
