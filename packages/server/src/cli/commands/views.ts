/**
 * The REST responses the client commands read (docs/rest-api.md), checked with
 * zod at the edge. Views keep fields this CLI does not know, so `--json` shows
 * everything a newer server sends.
 */
import { z } from 'zod';

const base64 = z.base64();
const timestamp = z.string();

export const KeyVersionView = z.looseObject({
  version: z.number().int(),
  state: z.string(),
  createdAt: timestamp,
  primary: z.boolean(),
  usageCount: z.number().optional(),
});

export const KeyView = z.looseObject({
  keyId: z.string(),
  spec: z.string(),
  usage: z.string(),
  origin: z.string(),
  description: z.string(),
  tags: z.record(z.string(), z.string()),
  state: z.string(),
  aliases: z.array(z.string()),
  rotationPeriodDays: z.number().nullable().optional(),
  nextRotationAt: timestamp.nullable().optional(),
  primaryVersion: z.number().int(),
  deletionDate: timestamp.nullable().optional(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable().optional(),
  versions: z.array(KeyVersionView),
});
export type KeyView = z.infer<typeof KeyView>;

export const KeyList = z.looseObject({
  keys: z.array(
    z.looseObject({
      keyId: z.string(),
      spec: z.string(),
      usage: z.string(),
      state: z.string(),
      description: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type KeyList = z.infer<typeof KeyList>;

export const AliasList = z.looseObject({
  aliases: z.array(z.looseObject({ name: z.string(), keyId: z.string() })),
  nextCursor: z.string().nullable(),
});
export type AliasList = z.infer<typeof AliasList>;

export const EncryptResult = z.looseObject({
  ciphertext: base64,
  keyId: z.string(),
  keyVersion: z.number().int(),
});

export const DecryptResult = z.looseObject({
  plaintext: base64,
  keyId: z.string(),
  keyVersion: z.number().int(),
});

export const DataKeyResult = z.looseObject({
  plaintext: base64.optional(),
  ciphertext: base64,
  keyId: z.string(),
  keyVersion: z.number().int(),
});

export const SignResult = z.looseObject({
  signature: base64,
  keyId: z.string(),
  keyVersion: z.number().int(),
  algorithm: z.string(),
});

export const VerifyResult = z.looseObject({
  valid: z.boolean(),
  keyId: z.string(),
  keyVersion: z.number().int().nullable(),
  algorithm: z.string(),
});

export const RandomResult = z.looseObject({ random: base64 });
