import { z } from 'zod';
import { InvalidMacError } from '../../../core/errors.js';
import {
  generateMac as generateService,
  verifyMac as verifyService,
} from '../../../service/index.js';
import { keyArn, keyRef } from '../arn.js';
import { blobField, grantTokensField, keyIdField, macAlgorithmField } from '../fields.js';
import { type AwsOperation, b64, parseBody } from '../wire.js';

const fields = {
  KeyId: keyIdField,
  Message: blobField(4096),
  MacAlgorithm: macAlgorithmField,
  GrantTokens: grantTokensField,
  DryRun: z.boolean().optional(),
};

/** TrentService.GenerateMac. */
export const generateMac: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(z.object(fields), body);
  const out = await generateService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    message: input.Message,
    algorithm: input.MacAlgorithm,
  });
  return { Mac: b64(out.mac), MacAlgorithm: out.algorithm, KeyId: keyArn(partition, out.keyId) };
};

/** TrentService.VerifyMac: a MAC that does not verify is KMSInvalidMacException. */
export const verifyMac: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(z.object({ ...fields, Mac: blobField(6144) }), body);
  const out = await verifyService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    message: input.Message,
    mac: input.Mac,
    algorithm: input.MacAlgorithm,
  });
  if (!out.valid) throw new InvalidMacError('the MAC is not valid');
  return { KeyId: keyArn(partition, out.keyId), MacValid: true, MacAlgorithm: out.algorithm };
};
