import { z } from 'zod';
import { createKey as createKeyService } from '../../../service/index.js';
import { custosKeySpec, keyMetadata } from '../key-metadata.js';
import { tagListField, tagsRecord } from '../tags.js';
import { type AwsOperation, parseBody } from '../wire.js';

const schema = z.object({
  Description: z.string().max(8192).optional(),
  KeyUsage: z.enum(['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC']).optional(),
  KeySpec: z.string().optional(),
  CustomerMasterKeySpec: z.string().optional(),
  Origin: z.enum(['AWS_KMS', 'EXTERNAL']).optional(),
  Tags: tagListField.optional(),
  // Accepted for compatibility; access is decided by Custos policies (see PutKeyPolicy).
  Policy: z.string().optional(),
  BypassPolicyLockoutSafetyCheck: z.boolean().optional(),
  MultiRegion: z.literal(false).optional(),
});

/** TrentService.CreateKey: defaults as AWS (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT). */
export const createKey: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(schema, body);
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  const view = await createKeyService(ctx, {
    spec: custosKeySpec(spec),
    usage: input.KeyUsage ?? 'ENCRYPT_DECRYPT',
    origin: input.Origin === 'EXTERNAL' ? 'EXTERNAL' : 'CUSTOS',
    ...(input.Description !== undefined && { description: input.Description }),
    ...(input.Tags !== undefined && { tags: tagsRecord(input.Tags) }),
  });
  return { KeyMetadata: keyMetadata(partition, view) };
};
