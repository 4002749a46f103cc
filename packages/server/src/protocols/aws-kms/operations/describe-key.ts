import { z } from 'zod';
import { describeKey as describeKeyService } from '../../../service/index.js';
import { keyRef } from '../arn.js';
import { keyIdField } from '../fields.js';
import { keyMetadata } from '../key-metadata.js';
import { type AwsOperation, parseBody } from '../wire.js';

const schema = z.object({ KeyId: keyIdField, GrantTokens: z.array(z.string()).optional() });

/** TrentService.DescribeKey. */
export const describeKey: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(schema, body);
  const view = await describeKeyService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return { KeyMetadata: keyMetadata(partition, view) };
};
