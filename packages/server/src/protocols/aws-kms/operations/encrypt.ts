import { z } from 'zod';
import { encrypt as encryptService } from '../../../service/index.js';
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
  KeyId: keyIdField,
  Plaintext: blobField(4096),
  EncryptionContext: encryptionContextField,
  GrantTokens: grantTokensField,
  EncryptionAlgorithm: encryptionAlgorithmField,
  DryRun: z.boolean().optional(),
});

/**
 * TrentService.Encrypt. The CiphertextBlob is the Custos v1 ciphertext, so it
 * decrypts through every door.
 */
export const encrypt: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(schema, body);
  if (input.DryRun === true) throw validation('DryRun is not supported');
  const out = await encryptService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    plaintext: input.Plaintext,
    ...(input.EncryptionContext !== undefined && { encryptionContext: input.EncryptionContext }),
    ...(input.EncryptionAlgorithm !== undefined && { algorithm: input.EncryptionAlgorithm }),
  });
  input.Plaintext.fill(0);
  return {
    CiphertextBlob: b64(out.ciphertext),
    KeyId: keyArn(partition, out.keyId),
    EncryptionAlgorithm: out.algorithm,
  };
};
