import { z } from 'zod';
import { listKeys as listKeysService } from '../../../service/index.js';
import { keyArn } from '../arn.js';
import { limitField, markerField } from '../fields.js';
import { type AwsOperation, parseBody } from '../wire.js';

const schema = z.object({ Limit: limitField, Marker: markerField });

/** TrentService.ListKeys: Custos's cursor is AWS's Marker. */
export const listKeys: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(schema, body);
  const page = await listKeysService(ctx, {
    ...(input.Limit !== undefined && { limit: input.Limit }),
    ...(input.Marker !== undefined && { cursor: input.Marker }),
  });
  return {
    Keys: page.keys.map((key) => ({ KeyId: key.keyId, KeyArn: keyArn(partition, key.keyId) })),
    Truncated: page.nextCursor !== null,
    ...(page.nextCursor !== null && { NextMarker: page.nextCursor }),
  };
};
