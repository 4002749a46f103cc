import { KEY_SPEC_NAMES, KEY_USAGES } from '@custos/crypto';
import { z } from 'zod';
import {
  InvalidCiphertextError,
  InvalidInputError,
  KmsError,
  UnsupportedError,
} from '../core/errors.js';
import { isAliasName } from '../core/ids.js';
import {
  KEY_ORIGINS,
  KEY_STATES,
  VERSION_STATES,
  type Alias,
  type KeyRecord,
  type KeyVersion,
} from '../core/key.js';
import type { Keyring } from '../seal/keyring.js';
import type { LoadedKey } from './key-cache.js';

/*
 * Key backup blob (docs/formats.md, "Key backup blob"):
 *   0..4  ASCII "CKBK"      magic
 *   4     0x01              format version
 *   5..   keyring.wrapSecret('key-backup', UTF-8 JSON of KeyBackup)
 * The JSON holds versions' material as stored, already sealed under the
 * domain key; the whole is sealed again, so only a server holding the same
 * domain key opens it, and nothing in it can be altered or read elsewhere.
 */
const MAGIC = Buffer.from('CKBK', 'ascii');
const FORMAT_VERSION = 1;
const HEADER_BYTES = MAGIC.length + 1;
const PURPOSE = 'key-backup';

const date = z.iso.datetime().transform((s) => new Date(s));
const bytes = z.base64().transform((s) => Buffer.from(s, 'base64'));
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const keySchema = z.strictObject({
  id: z.uuid(),
  spec: z.enum(KEY_SPEC_NAMES),
  usage: z.enum(KEY_USAGES),
  origin: z.enum(KEY_ORIGINS),
  description: z.string().max(8192),
  tags: z.record(z.string(), z.string()),
  state: z.enum(KEY_STATES).exclude(['Destroyed']),
  exportable: z.boolean(),
  rotationPeriodDays: count.nullable(),
  nextRotationAt: date.nullable(),
  primaryVersion: count,
  minDecryptionVersion: count,
  deletionDate: date.nullable(),
  createdAt: date,
  updatedAt: date,
  materialExpiresAt: date.nullable(),
  attributes: z.record(z.string(), z.string()),
});

const versionSchema = z.strictObject({
  version: count.min(1),
  state: z.enum(VERSION_STATES),
  createdAt: date,
  wrappedMaterial: bytes.nullable(),
  publicKey: bytes.nullable(),
  usageCount: count,
});

const backupSchema = z
  .strictObject({
    format: z.literal(FORMAT_VERSION),
    key: keySchema,
    versions: z.array(versionSchema).max(100_000),
    aliases: z
      .array(z.strictObject({ name: z.string().refine(isAliasName), createdAt: date }))
      .max(1000),
  })
  .refine(
    (b) => b.versions.every((v, i) => i === 0 || v.version > (b.versions[i - 1]?.version ?? 0)),
    {
      message: 'versions must be unique and ascending',
    },
  )
  .refine(
    (b) => b.key.primaryVersion === 0 || b.versions.some((v) => v.version === b.key.primaryVersion),
    {
      message: 'the primary version must be among the versions',
    },
  );

export type KeyBackup = z.output<typeof backupSchema>;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const b64 = (b: Buffer | null): string | null => (b === null ? null : b.toString('base64'));

function backupJson(loaded: LoadedKey, aliases: readonly Alias[]): object {
  const { key } = loaded;
  return {
    format: FORMAT_VERSION,
    key: {
      id: key.id,
      spec: key.spec,
      usage: key.usage,
      origin: key.origin,
      description: key.description,
      tags: key.tags,
      state: key.state,
      exportable: key.exportable,
      rotationPeriodDays: key.rotationPeriodDays,
      nextRotationAt: iso(key.nextRotationAt),
      primaryVersion: key.primaryVersion,
      minDecryptionVersion: key.minDecryptionVersion,
      deletionDate: iso(key.deletionDate),
      createdAt: key.createdAt.toISOString(),
      updatedAt: key.updatedAt.toISOString(),
      materialExpiresAt: iso(key.materialExpiresAt),
      attributes: key.attributes,
    } satisfies Record<keyof Omit<KeyRecord, 'rowVersion'>, unknown>,
    versions: loaded.versions.map(
      (v) =>
        ({
          version: v.version,
          state: v.state,
          createdAt: v.createdAt.toISOString(),
          wrappedMaterial: b64(v.wrappedMaterial),
          publicKey: b64(v.publicKey),
          usageCount: v.usageCount,
        }) satisfies Record<keyof Omit<KeyVersion, 'keyId' | 'rowVersion'>, unknown>,
    ),
    aliases: aliases.map((a) => ({ name: a.name, createdAt: a.createdAt.toISOString() })),
  };
}

/** Seals a key (record, versions, aliases) into a backup blob. */
export function sealBackup(keyring: Keyring, loaded: LoadedKey, aliases: readonly Alias[]): Buffer {
  const json = Buffer.from(JSON.stringify(backupJson(loaded, aliases)), 'utf8');
  return Buffer.concat([MAGIC, Buffer.of(FORMAT_VERSION), keyring.wrapSecret(PURPOSE, json)]);
}

/**
 * Opens and validates a backup blob. A blob sealed under another domain key,
 * or altered, is the uniform InvalidCiphertext.
 */
export function openBackup(keyring: Keyring, blob: Uint8Array): KeyBackup {
  const data = Buffer.from(blob);
  if (data.length <= HEADER_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new InvalidInputError('this is not a Custos key backup');
  }
  if (data[MAGIC.length] !== FORMAT_VERSION) {
    throw new UnsupportedError(`key backup format ${String(data[MAGIC.length])} is not supported`);
  }
  let json: string;
  try {
    const opened = keyring.unwrapSecret(PURPOSE, data.subarray(HEADER_BYTES));
    json = opened.bytes.toString('utf8');
    opened.zero();
  } catch (error) {
    // unwrapSecret reports a failed integrity check as Internal; here it is the caller's blob.
    if (error instanceof KmsError && error.code === 'INTERNAL') throw new InvalidCiphertextError();
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InvalidInputError('the key backup content is not valid');
  }
  const result = backupSchema.safeParse(parsed);
  if (!result.success) throw new InvalidInputError('the key backup content is not valid');
  return result.data;
}
