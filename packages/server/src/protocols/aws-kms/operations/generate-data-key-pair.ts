import { z } from 'zod';
import {
  DATA_KEY_PAIR_SPECS,
  generateDataKeyPair as generateService,
} from '../../../service/index.js';
import { keyArn, keyRef } from '../arn.js';
import { validation } from '../aws-errors.js';
import { encryptionContextField, grantTokensField, keyIdField } from '../fields.js';
import { awsKeySpec, custosKeySpec } from '../key-metadata.js';
import { type AwsCall, type AwsOperation, b64, parseBody } from '../wire.js';

const specField = z.string().transform(custosKeySpec).pipe(z.enum(DATA_KEY_PAIR_SPECS));

const schema = z.object({
  KeyId: keyIdField,
  KeyPairSpec: specField,
  EncryptionContext: encryptionContextField,
  GrantTokens: grantTokensField,
  DryRun: z.boolean().optional(),
  Recipient: z.unknown().optional(),
});

async function dataKeyPair({ ctx, partition }: AwsCall, body: unknown, withPlaintext: boolean) {
  const input = parseBody(schema, body);
  if (input.Recipient !== undefined) throw validation('Recipient is not supported');
  const out = await generateService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    keyPairSpec: input.KeyPairSpec,
    withPlaintext,
    ...(input.EncryptionContext !== undefined && { encryptionContext: input.EncryptionContext }),
  });
  try {
    return {
      PrivateKeyCiphertextBlob: b64(out.privateKeyCiphertext),
      ...(out.privateKeyPlaintext !== undefined && {
        PrivateKeyPlaintext: b64(out.privateKeyPlaintext.bytes),
      }),
      PublicKey: b64(out.publicKey),
      KeyId: keyArn(partition, out.keyId),
      KeyPairSpec: awsKeySpec(out.keyPairSpec),
    };
  } finally {
    out.privateKeyPlaintext?.zero();
  }
}

/** TrentService.GenerateDataKeyPair. */
export const generateDataKeyPair: AwsOperation = (call, body) => dataKeyPair(call, body, true);

/** TrentService.GenerateDataKeyPairWithoutPlaintext. */
export const generateDataKeyPairWithoutPlaintext: AwsOperation = (call, body) =>
  dataKeyPair(call, body, false);
