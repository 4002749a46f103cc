import { z } from 'zod';
import { DATA_KEY_SPECS, generateDataKey as generateService } from '../../../service/index.js';
import { keyArn, keyRef } from '../arn.js';
import { validation } from '../aws-errors.js';
import { encryptionContextField, grantTokensField, keyIdField } from '../fields.js';
import { type AwsCall, type AwsOperation, b64, parseBody } from '../wire.js';

const schema = z.object({
  KeyId: keyIdField,
  EncryptionContext: encryptionContextField,
  NumberOfBytes: z.number().int().min(1).max(1024).optional(),
  KeySpec: z.enum(DATA_KEY_SPECS).optional(),
  GrantTokens: grantTokensField,
  DryRun: z.boolean().optional(),
  Recipient: z.unknown().optional(),
});

async function dataKey({ ctx, partition }: AwsCall, body: unknown, withPlaintext: boolean) {
  const input = parseBody(schema, body);
  if (input.Recipient !== undefined) throw validation('Recipient is not supported');
  if (input.KeySpec === undefined && input.NumberOfBytes === undefined) {
    throw validation('Please specify either number of bytes or key spec.');
  }
  if (input.KeySpec !== undefined && input.NumberOfBytes !== undefined) {
    throw validation('Please specify either number of bytes or key spec, but not both.');
  }
  const out = await generateService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    withPlaintext,
    ...(input.KeySpec !== undefined && { keySpec: input.KeySpec }),
    ...(input.NumberOfBytes !== undefined && { numberOfBytes: input.NumberOfBytes }),
    ...(input.EncryptionContext !== undefined && { encryptionContext: input.EncryptionContext }),
  });
  try {
    return {
      CiphertextBlob: b64(out.ciphertext),
      ...(out.plaintext !== undefined && { Plaintext: b64(out.plaintext.bytes) }),
      KeyId: keyArn(partition, out.keyId),
    };
  } finally {
    out.plaintext?.zero();
  }
}

/** TrentService.GenerateDataKey. */
export const generateDataKey: AwsOperation = (call, body) => dataKey(call, body, true);

/** TrentService.GenerateDataKeyWithoutPlaintext. */
export const generateDataKeyWithoutPlaintext: AwsOperation = (call, body) =>
  dataKey(call, body, false);
