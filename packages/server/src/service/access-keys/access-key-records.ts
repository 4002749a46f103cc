import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { InternalError } from '../../core/errors.js';
import type { StoreReader, StoreWriter } from '../../store/store.js';

/**
 * Access keys for the AWS KMS door (SigV4). SigV4 is an HMAC keyed by the
 * secret itself, so unlike tokens the secret must be recoverable: it is kept
 * sealed under the domain key (Keyring.wrapSecret, purpose `access-key:<id>`).
 *
 * They live in the store's `meta` table (one entry per key plus an index of
 * ids), written only inside a transaction, so no store port change is needed.
 */
export interface AccessKeyRecord {
  readonly accessKeyId: string;
  readonly principalId: string;
  /** The secret, sealed under the domain key. */
  readonly wrappedSecret: Buffer;
  readonly createdAt: Date;
}

/** AWS's shape: `AKIA` and 16 base32 characters. */
export const ACCESS_KEY_ID_RE = /^AKIA[A-Z2-7]{16}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const INDEX = 'access-keys';
const entryName = (id: string) => `access-key/${id}`;
/** A deleted entry: meta has no delete, and an empty value reads as absent. */
const TOMBSTONE = Buffer.alloc(0);

export const secretPurpose = (accessKeyId: string): string => `access-key:${accessKeyId}`;

export function newAccessKeyId(): string {
  const bytes = randomBytes(16);
  let id = 'AKIA';
  for (const byte of bytes) id += BASE32[byte & 31] ?? 'A';
  return id;
}

/** 30 random bytes: 40 base64 characters, the length of an AWS secret access key. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

const entrySchema = z.object({
  principalId: z.string(),
  wrappedSecret: z.string(),
  createdAt: z.string(),
});

export async function readAccessKey(
  store: StoreReader,
  accessKeyId: string,
): Promise<AccessKeyRecord | undefined> {
  if (!ACCESS_KEY_ID_RE.test(accessKeyId)) return undefined;
  const raw = await store.getMeta(entryName(accessKeyId));
  if (raw === undefined || raw.length === 0) return undefined;
  const parsed = entrySchema.safeParse(JSON.parse(raw.toString('utf8')));
  if (!parsed.success) throw new InternalError('a stored access key is malformed');
  return {
    accessKeyId,
    principalId: parsed.data.principalId,
    wrappedSecret: Buffer.from(parsed.data.wrappedSecret, 'base64'),
    createdAt: new Date(parsed.data.createdAt),
  };
}

export async function readAccessKeyIds(store: StoreReader): Promise<string[]> {
  const raw = await store.getMeta(INDEX);
  if (raw === undefined || raw.length === 0) return [];
  const parsed = z.array(z.string()).safeParse(JSON.parse(raw.toString('utf8')));
  if (!parsed.success) throw new InternalError('the access key index is malformed');
  return parsed.data;
}

export async function writeAccessKey(tx: StoreWriter, record: AccessKeyRecord): Promise<void> {
  const entry = {
    principalId: record.principalId,
    wrappedSecret: record.wrappedSecret.toString('base64'),
    createdAt: record.createdAt.toISOString(),
  };
  await tx.putMeta(entryName(record.accessKeyId), Buffer.from(JSON.stringify(entry)));
  const ids = await readAccessKeyIds(tx);
  ids.push(record.accessKeyId);
  await tx.putMeta(INDEX, Buffer.from(JSON.stringify(ids.sort())));
}

export async function removeAccessKey(tx: StoreWriter, accessKeyId: string): Promise<void> {
  await tx.putMeta(entryName(accessKeyId), TOMBSTONE);
  const ids = (await readAccessKeyIds(tx)).filter((id) => id !== accessKeyId);
  await tx.putMeta(INDEX, Buffer.from(JSON.stringify(ids)));
}
