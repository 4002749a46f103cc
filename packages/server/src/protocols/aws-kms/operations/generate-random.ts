import { z } from 'zod';
import { generateRandom as generateService } from '../../../service/index.js';
import { validation } from '../aws-errors.js';
import { type AwsOperation, b64, parseBody } from '../wire.js';

const schema = z.object({
  NumberOfBytes: z.number().int().min(1).max(1024).optional(),
  CustomKeyStoreId: z.string().optional(),
  Recipient: z.unknown().optional(),
});

/** TrentService.GenerateRandom. */
export const generateRandom: AwsOperation = async ({ ctx }, body) => {
  const input = parseBody(schema, body);
  if (input.CustomKeyStoreId !== undefined || input.Recipient !== undefined) {
    throw validation('CustomKeyStoreId and Recipient are not supported');
  }
  if (input.NumberOfBytes === undefined) throw validation('NumberOfBytes must be specified');
  const random = await generateService(ctx, { numberOfBytes: input.NumberOfBytes });
  try {
    return { Plaintext: b64(random.bytes) };
  } finally {
    random.zero();
  }
};
