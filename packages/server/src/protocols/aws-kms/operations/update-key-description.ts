import { z } from 'zod';
import { updateKeyDescription as updateService } from '../../../service/index.js';
import { keyRef } from '../arn.js';
import { keyIdField } from '../fields.js';
import { type AwsOperation, parseBody } from '../wire.js';

const schema = z.object({ KeyId: keyIdField, Description: z.string().max(8192) });

/** TrentService.UpdateKeyDescription. */
export const updateKeyDescription: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(schema, body);
  await updateService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    description: input.Description,
  });
  return {};
};
