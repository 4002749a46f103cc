import { z } from 'zod';
import { InvalidSignatureError } from '../../../core/errors.js';
import { sign as signService, verify as verifyService } from '../../../service/index.js';
import { keyArn, keyRef } from '../arn.js';
import { blobField, grantTokensField, keyIdField, signingAlgorithmField } from '../fields.js';
import { type AwsOperation, b64, parseBody } from '../wire.js';

const messageFields = {
  KeyId: keyIdField,
  Message: blobField(4096),
  MessageType: z.enum(['RAW', 'DIGEST']).optional(),
  SigningAlgorithm: signingAlgorithmField,
  GrantTokens: grantTokensField,
  DryRun: z.boolean().optional(),
};

/** TrentService.Sign: ECDSA signatures are DER, as AWS returns them. */
export const sign: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(z.object(messageFields), body);
  const out = await signService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    message: input.Message,
    messageType: input.MessageType ?? 'RAW',
    algorithm: input.SigningAlgorithm,
    encoding: 'der',
  });
  return {
    KeyId: keyArn(partition, out.keyId),
    Signature: b64(out.signature),
    SigningAlgorithm: out.algorithm,
  };
};

/** TrentService.Verify: a signature that does not verify is KMSInvalidSignatureException. */
export const verify: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(z.object({ ...messageFields, Signature: blobField(6144) }), body);
  const out = await verifyService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    message: input.Message,
    messageType: input.MessageType ?? 'RAW',
    signature: input.Signature,
    algorithm: input.SigningAlgorithm,
    encoding: 'der',
  });
  if (!out.valid) throw new InvalidSignatureError('the signature is not valid');
  return {
    KeyId: keyArn(partition, out.keyId),
    SignatureValid: true,
    SigningAlgorithm: out.algorithm,
  };
};
