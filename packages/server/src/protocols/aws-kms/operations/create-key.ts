import { KEY_SPEC_NAMES, type KeySpecName } from '@custos/crypto';
import { z } from 'zod';
import { UnsupportedError } from '../../../core/errors.js';
import { createKey as createKeyService } from '../../../service/index.js';
import {
  AWS_CUSTOMER_MASTER_KEY_SPECS,
  AWS_KEY_SPECS,
  custosKeySpec,
  keyMetadata,
} from '../key-metadata.js';
import { tagListField, tagsRecord } from '../tags.js';
import { type AwsOperation, parseBody } from '../wire.js';

const schema = z.object({
  Description: z.string().max(8192).optional(),
  KeyUsage: z.enum(['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC']).optional(),
  // AWS's values only: Custos's own specs (AES_128, CHACHA20_POLY1305, ...)
  // are made through the other doors, never under an AWS name they lack.
  KeySpec: z.enum(AWS_KEY_SPECS).optional(),
  CustomerMasterKeySpec: z.enum(AWS_CUSTOMER_MASTER_KEY_SPECS).optional(),
  Origin: z.enum(['AWS_KMS', 'EXTERNAL']).optional(),
  Tags: tagListField.optional(),
  // Accepted for compatibility; access is decided by Custos policies (see PutKeyPolicy).
  Policy: z.string().optional(),
  BypassPolicyLockoutSafetyCheck: z.boolean().optional(),
  MultiRegion: z.literal(false).optional(),
});

const isKeySpecName = (name: string): name is KeySpecName =>
  (KEY_SPEC_NAMES as readonly string[]).includes(name);

/**
 * TrentService.CreateKey: defaults as AWS (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT). An AWS KeySpec
 * Custos has no key type for (SM2, ECC_SECG_P256K1, HMAC_224, ML-DSA, ML-KEM)
 * is UnsupportedOperationException.
 */
export const createKey: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(schema, body);
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  const custosSpec = custosKeySpec(spec);
  if (!isKeySpecName(custosSpec)) throw new UnsupportedError(`KeySpec ${spec} is not supported`);
  const view = await createKeyService(ctx, {
    spec: custosSpec,
    usage: input.KeyUsage ?? 'ENCRYPT_DECRYPT',
    origin: input.Origin === 'EXTERNAL' ? 'EXTERNAL' : 'CUSTOS',
    ...(input.Description !== undefined && { description: input.Description }),
    ...(input.Tags !== undefined && { tags: tagsRecord(input.Tags) }),
  });
  return { KeyMetadata: keyMetadata(partition, view) };
};
