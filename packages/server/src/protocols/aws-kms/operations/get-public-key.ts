import { z } from 'zod';
import { getPublicKey as getPublicKeyService } from '../../../service/index.js';
import { keyArn, keyRef } from '../arn.js';
import { grantTokensField, keyIdField } from '../fields.js';
import { awsKeySpec } from '../key-metadata.js';
import type { KeySpecName } from '@custos/crypto';
import { type AwsOperation, b64, parseBody } from '../wire.js';

/** TrentService.GetPublicKey: the DER SubjectPublicKeyInfo. */
export const getPublicKey: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(z.object({ KeyId: keyIdField, GrantTokens: grantTokensField }), body);
  const out = await getPublicKeyService(ctx, { keyId: keyRef(partition, input.KeyId) });
  const spec = awsKeySpec(out.spec as KeySpecName);
  return {
    KeyId: keyArn(partition, out.keyId),
    PublicKey: b64(out.publicKey),
    CustomerMasterKeySpec: spec,
    KeySpec: spec,
    KeyUsage: out.usage,
    ...(out.encryptionAlgorithms.length > 0 && { EncryptionAlgorithms: out.encryptionAlgorithms }),
    ...(out.signingAlgorithms.length > 0 && { SigningAlgorithms: out.signingAlgorithms }),
  };
};
