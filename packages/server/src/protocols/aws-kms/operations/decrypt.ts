import { z } from 'zod';
import { decrypt as decryptService } from '../../../service/index.js';
import { keyArn, keyRef } from '../arn.js';
import { validation } from '../aws-errors.js';
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
  EncryptionContext: encryptionContextField,
  GrantTokens: grantTokensField,
  KeyId: keyIdField.optional(),
  EncryptionAlgorithm: encryptionAlgorithmField,
  Recipient: z.unknown().optional(),
  DryRun: z.boolean().optional(),
});

/**
 * TrentService.Decrypt. KeyId in the answer is the key ARN: the AWS
 * Encryption SDK checks it equals the ARN it asked with.
 */
export const decrypt: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(schema, body);
  if (input.Recipient !== undefined) throw validation('Recipient is not supported');
  if (input.DryRun === true) throw validation('DryRun is not supported');
  const out = await decryptService(ctx, {
    ciphertext: input.CiphertextBlob,
    ...(input.KeyId !== undefined && { keyId: keyRef(partition, input.KeyId) }),
    ...(input.EncryptionContext !== undefined && { encryptionContext: input.EncryptionContext }),
    ...(input.EncryptionAlgorithm !== undefined && { algorithm: input.EncryptionAlgorithm }),
  });
  try {
    return {
      KeyId: keyArn(partition, out.keyId),
      Plaintext: b64(out.plaintext.bytes),
      EncryptionAlgorithm: out.algorithm,
    };
  } finally {
    out.plaintext.zero();
  }
};
