import { KEY_SPEC_NAMES, KEY_USAGES } from '@custos/crypto';
import { z } from 'zod';
import { KEY_ORIGINS, KEY_STATES, VERSION_STATES } from '../../core/key.js';
import type { KeyView } from '../../service/index.js';
import { isoDate, isoOrNull, tags } from './json.js';

export const keyVersionJson = z
  .strictObject({
    version: z.number().int(),
    state: z.enum(VERSION_STATES),
    createdAt: isoDate,
    primary: z.boolean(),
    usageCount: z.number().int().meta({ description: 'Outputs made with this version' }),
  })
  .meta({ id: 'KeyVersion' });

/** What callers see of a key: metadata only, never material. */
export const keyViewJson = z
  .strictObject({
    keyId: z.uuid(),
    spec: z.enum(KEY_SPEC_NAMES),
    usage: z.enum(KEY_USAGES),
    origin: z.enum(KEY_ORIGINS),
    description: z.string(),
    tags,
    state: z.enum(KEY_STATES),
    exportable: z.boolean(),
    aliases: z.array(z.string()),
    rotationPeriodDays: z.number().int().nullable(),
    nextRotationAt: isoDate.nullable(),
    primaryVersion: z.number().int(),
    minDecryptionVersion: z.number().int(),
    deletionDate: isoDate.nullable(),
    materialExpiresAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    signingAlgorithms: z.array(z.string()),
    encryptionAlgorithms: z.array(z.string()),
    macAlgorithms: z.array(z.string()),
    versions: z.array(keyVersionJson),
  })
  .meta({ id: 'KeyView' });
export type KeyViewJson = z.infer<typeof keyViewJson>;

/** A KeyView with its dates as RFC 3339 strings. */
export function renderKeyView(view: KeyView): KeyViewJson {
  return {
    ...view,
    tags: { ...view.tags },
    aliases: [...view.aliases],
    nextRotationAt: isoOrNull(view.nextRotationAt),
    deletionDate: isoOrNull(view.deletionDate),
    materialExpiresAt: isoOrNull(view.materialExpiresAt),
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
    lastUsedAt: isoOrNull(view.lastUsedAt),
    signingAlgorithms: [...view.signingAlgorithms],
    encryptionAlgorithms: [...view.encryptionAlgorithms],
    macAlgorithms: [...view.macAlgorithms],
    versions: view.versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
  };
}
