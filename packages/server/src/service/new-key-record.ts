import type { KeyRecord } from '../core/key.js';

/** What a new key's record must be told; the rest starts as every new key's does. */
export type NewKeyFields = Pick<KeyRecord, 'id' | 'spec' | 'usage' | 'origin' | 'description'> &
  Partial<
    Pick<
      KeyRecord,
      | 'tags'
      | 'state'
      | 'exportable'
      | 'rotationPeriodDays'
      | 'nextRotationAt'
      | 'primaryVersion'
      | 'attributes'
    >
  >;

/**
 * The record of a key about to be inserted: Enabled at version 1, no tags,
 * attributes, rotation, deletion or expiry unless given, created at `now`.
 */
export function newKeyRecord(now: Date, fields: NewKeyFields): KeyRecord {
  return {
    id: fields.id,
    spec: fields.spec,
    usage: fields.usage,
    origin: fields.origin,
    description: fields.description,
    tags: fields.tags ?? {},
    state: fields.state ?? 'Enabled',
    exportable: fields.exportable ?? false,
    rotationPeriodDays: fields.rotationPeriodDays ?? null,
    nextRotationAt: fields.nextRotationAt ?? null,
    primaryVersion: fields.primaryVersion ?? 1,
    minDecryptionVersion: 1,
    deletionDate: null,
    materialExpiresAt: null,
    createdAt: now,
    updatedAt: now,
    attributes: fields.attributes ?? {},
    rowVersion: 1,
  };
}
