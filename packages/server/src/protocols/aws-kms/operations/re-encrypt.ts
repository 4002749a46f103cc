import { z } from 'zod';
import { reEncrypt as reEncryptService } from '../../../service/index.js';
import { keyArn, keyRef } from '../arn.js';
import {
  blobField,
  encryptionAlgorithmField,
  encryptionContextField,
  grantTokensField,
  keyIdField,
} from '../fields.js';
import { type AwsOperation, b64, parseBody } from '../wire.js';

const schema = z.object({
  CiphertextBlob: blobField(6144),
  SourceEncryptionContext: encryptionContextField,
  SourceKeyId: keyIdField.optional(),
  DestinationKeyId: keyIdField,
  DestinationEncryptionContext: encryptionContextField,
  SourceEncryptionAlgorithm: encryptionAlgorithmField,
  DestinationEncryptionAlgorithm: encryptionAlgorithmField,
  GrantTokens: grantTokensField,
});

/** TrentService.ReEncrypt: decrypt and encrypt inside the service, plaintext never leaves it. */
export const reEncrypt: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(schema, body);
  const out = await reEncryptService(ctx, {
    ciphertext: input.CiphertextBlob,
    destinationKeyId: keyRef(partition, input.DestinationKeyId),
    ...(input.SourceKeyId !== undefined && { sourceKeyId: keyRef(partition, input.SourceKeyId) }),
    ...(input.SourceEncryptionContext !== undefined && {
      sourceEncryptionContext: input.SourceEncryptionContext,
    }),
    ...(input.DestinationEncryptionContext !== undefined && {
      destinationEncryptionContext: input.DestinationEncryptionContext,
    }),
    ...(input.SourceEncryptionAlgorithm !== undefined && {
      sourceAlgorithm: input.SourceEncryptionAlgorithm,
    }),
    ...(input.DestinationEncryptionAlgorithm !== undefined && {
      destinationAlgorithm: input.DestinationEncryptionAlgorithm,
    }),
  });
  return {
    CiphertextBlob: b64(out.ciphertext),
    SourceKeyId: keyArn(partition, out.sourceKeyId),
    KeyId: keyArn(partition, out.keyId),
    SourceEncryptionAlgorithm: input.SourceEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT',
    DestinationEncryptionAlgorithm: out.algorithm,
  };
};
