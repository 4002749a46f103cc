import { KEY_SPEC_NAMES, KEY_USAGES } from '@custos/crypto';
import { InternalError, InvalidInputError, type KmsError } from '../../core/errors.js';
import {
  KEY_ORIGINS,
  KEY_STATES,
  VERSION_STATES,
  type Alias,
  type ImportToken,
  type KeyRecord,
  type KeyVersion,
} from '../../core/key.js';

// Row shapes as SQLite returns them (snake_case columns, epoch-millisecond
// INTEGERs, 0/1 booleans, JSON TEXT), and the mapping to and from the model.

export interface KeyRow {
  readonly id: string;
  readonly spec: string;
  readonly usage: string;
  readonly origin: string;
  readonly description: string;
  readonly tags: string;
  readonly state: string;
  readonly exportable: number;
  readonly rotation_period_days: number | null;
  readonly next_rotation_at: number | null;
  readonly primary_version: number;
  readonly min_decryption_version: number;
  readonly deletion_date: number | null;
  readonly material_expires_at: number | null;
  readonly attributes: string;
  readonly created_at: number;
  readonly updated_at: number;
  readonly row_version: number;
}

export interface VersionRow {
  readonly key_id: string;
  readonly version: number;
  readonly state: string;
  readonly created_at: number;
  readonly wrapped_material: Buffer | null;
  readonly public_key: Buffer | null;
  readonly usage_count: number;
  readonly row_version: number;
}

export interface AliasRow {
  readonly name: string;
  readonly key_id: string;
  readonly created_at: number;
  readonly updated_at: number;
}

export interface ImportTokenRow {
  readonly id: string;
  readonly key_id: string;
  readonly wrapping_algorithm: string;
  readonly wrapping_key_spec: string;
  readonly wrapped_private_key: Buffer;
  readonly public_key: Buffer;
  readonly expires_at: number;
  readonly created_at: number;
}

export function toKeyRecord(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    spec: member(KEY_SPEC_NAMES, row.spec, 'keys.spec', row.id),
    usage: member(KEY_USAGES, row.usage, 'keys.usage', row.id),
    origin: member(KEY_ORIGINS, row.origin, 'keys.origin', row.id),
    description: row.description,
    tags: stringRecord(row.tags, 'keys.tags', row.id),
    state: member(KEY_STATES, row.state, 'keys.state', row.id),
    exportable: row.exportable !== 0,
    rotationPeriodDays: row.rotation_period_days,
    nextRotationAt: dateOrNull(row.next_rotation_at),
    primaryVersion: row.primary_version,
    minDecryptionVersion: row.min_decryption_version,
    deletionDate: dateOrNull(row.deletion_date),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    materialExpiresAt: dateOrNull(row.material_expires_at),
    attributes: stringRecord(row.attributes, 'keys.attributes', row.id),
    rowVersion: row.row_version,
  };
}

/** The key as bind parameters; `row_version` is the stored value on insert and the expected one on update. */
export function keyRow(key: KeyRecord): KeyRow {
  return {
    id: key.id,
    spec: key.spec,
    usage: key.usage,
    origin: key.origin,
    description: key.description,
    tags: JSON.stringify(key.tags),
    state: key.state,
    exportable: key.exportable ? 1 : 0,
    rotation_period_days: key.rotationPeriodDays,
    next_rotation_at: millisOrNull(key.nextRotationAt),
    primary_version: key.primaryVersion,
    min_decryption_version: key.minDecryptionVersion,
    deletion_date: millisOrNull(key.deletionDate),
    material_expires_at: millisOrNull(key.materialExpiresAt),
    attributes: JSON.stringify(key.attributes),
    created_at: millis(key.createdAt),
    updated_at: millis(key.updatedAt),
    row_version: key.rowVersion,
  };
}

export function toKeyVersion(row: VersionRow): KeyVersion {
  return {
    keyId: row.key_id,
    version: row.version,
    state: member(VERSION_STATES, row.state, 'key_versions.state', row.key_id),
    createdAt: new Date(row.created_at),
    wrappedMaterial: row.wrapped_material,
    publicKey: row.public_key,
    usageCount: row.usage_count,
    rowVersion: row.row_version,
  };
}

export function versionRow(version: KeyVersion): VersionRow {
  return {
    key_id: version.keyId,
    version: version.version,
    state: version.state,
    created_at: millis(version.createdAt),
    wrapped_material: version.wrappedMaterial,
    public_key: version.publicKey,
    usage_count: version.usageCount,
    row_version: version.rowVersion,
  };
}

export function toAlias(row: AliasRow): Alias {
  return {
    name: row.name,
    keyId: row.key_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export function aliasRow(alias: Alias): AliasRow {
  return {
    name: alias.name,
    key_id: alias.keyId,
    created_at: millis(alias.createdAt),
    updated_at: millis(alias.updatedAt),
  };
}

export function toImportToken(row: ImportTokenRow): ImportToken {
  return {
    id: row.id,
    keyId: row.key_id,
    wrappingAlgorithm: row.wrapping_algorithm,
    wrappingKeySpec: row.wrapping_key_spec,
    wrappedPrivateKey: row.wrapped_private_key,
    publicKey: row.public_key,
    expiresAt: new Date(row.expires_at),
    createdAt: new Date(row.created_at),
  };
}

export function importTokenRow(token: ImportToken): ImportTokenRow {
  return {
    id: token.id,
    key_id: token.keyId,
    wrapping_algorithm: token.wrappingAlgorithm,
    wrapping_key_spec: token.wrappingKeySpec,
    wrapped_private_key: token.wrappedPrivateKey,
    public_key: token.publicKey,
    expires_at: millis(token.expiresAt),
    created_at: millis(token.createdAt),
  };
}

/** Epoch milliseconds; an Invalid Date would otherwise be stored as NULL. */
export function millis(date: Date): number {
  const value = date.getTime();
  if (!Number.isFinite(value)) throw new InvalidInputError('a date to store is invalid');
  return value;
}

function millisOrNull(date: Date | null): number | null {
  return date === null ? null : millis(date);
}

function dateOrNull(value: number | null): Date | null {
  return value === null ? null : new Date(value);
}

function member<T extends string>(
  allowed: readonly T[],
  value: string,
  column: string,
  id: string,
): T {
  if (isMember(allowed, value)) return value;
  throw corrupt(column, id);
}

function isMember<T extends string>(allowed: readonly T[], value: string): value is T {
  const names: readonly string[] = allowed;
  return names.includes(value);
}

/** Tags and attributes: a JSON object whose values are all strings. */
function stringRecord(json: string, column: string, id: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw corrupt(column, id);
  }
  if (!isStringRecord(value)) throw corrupt(column, id);
  return value;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const entry of Object.values(value)) if (typeof entry !== 'string') return false;
  return true;
}

// The row was written by something other than this code (or the disk lied);
// name the column, never the value.
function corrupt(column: string, id: string): KmsError {
  return new InternalError(`stored ${column} of ${id} is malformed`);
}
