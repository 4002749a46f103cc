import { z } from 'zod';
import { ENCRYPTION_ALGORITHMS, MAC_ALGORITHMS, SIGNING_ALGORITHMS } from '@custos/crypto';

/** Field schemas shared by the actions, with AWS's length limits. */
export const keyIdField = z.string().min(1).max(2048);

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** A blob: base64 in JSON (awsJson1_1), decoded here. */
export const blobField = (max: number) =>
  z
    .string()
    .refine((text) => text.length % 4 === 0 && BASE64_RE.test(text), 'Invalid base64 blob')
    .transform((text) => Buffer.from(text, 'base64'))
    .refine((bytes) => bytes.length >= 1 && bytes.length <= max, {
      message: `Member must have length between 1 and ${String(max)}`,
    });

export const encryptionContextField = z.record(z.string(), z.string()).optional();
export const grantTokensField = z.array(z.string()).max(10).optional();
export const encryptionAlgorithmField = z.enum(ENCRYPTION_ALGORITHMS).optional();
export const signingAlgorithmField = z.enum(SIGNING_ALGORITHMS);
export const macAlgorithmField = z.enum(MAC_ALGORITHMS);
export const limitField = z.number().int().min(1).max(1000).optional();
export const markerField = z.string().min(1).max(1024).optional();
