import { randomBytes } from 'node:crypto';

/**
 * Access keys for the AWS KMS door (SigV4). SigV4 is an HMAC keyed by the
 * secret itself, so unlike tokens the secret must be recoverable: it is kept
 * sealed under the domain key (Keyring.wrapSecret, purpose `access-key:<id>`)
 * in the store's `access_keys` table.
 */
export type { AccessKeyRecord } from '../../core/identity.js';

/** AWS's shape: `AKIA` and 16 base32 characters. */
export const ACCESS_KEY_ID_RE = /^AKIA[A-Z2-7]{16}$/;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

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
