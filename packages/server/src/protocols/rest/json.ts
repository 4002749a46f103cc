import type { SecretBytes } from '@custos/crypto';
import { z } from 'zod';

/*
 * JSON ↔ service value codecs shared by the route files. Schemas here check
 * types, formats and transport bounds; the service still decides ranges and
 * semantics (its InvalidInput messages name the field too).
 */

/** Base64 length of `bytes` bytes with padding (RFC 4648 §4). */
function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/**
 * Standard base64 (RFC 4648 §4, padded) decoded to a Buffer. The length bound
 * is checked on the text before decoding, so an oversized value costs nothing.
 */
export function base64Bytes(maxBytes: number, description: string) {
  return z
    .base64()
    .max(base64Length(maxBytes))
    .transform((text) => Buffer.from(text, 'base64'))
    .meta({ description: `${description} (base64, at most ${String(maxBytes)} bytes)` });
}

/** Bytes as standard base64. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Renders secret bytes to base64 and zeroes them, whatever happens. */
export function secretToBase64(secret: SecretBytes): string {
  try {
    return secret.bytes.toString('base64');
  } finally {
    secret.zero();
  }
}

/** A Date as an RFC 3339 timestamp, null kept. */
export function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

export const base64Text = z.string().meta({ description: 'base64' });
export const isoDate = z.iso.datetime().meta({ description: 'RFC 3339 timestamp (UTC)' });

/** An RFC 3339 timestamp parsed to a Date. */
export const isoDateInput = z.iso
  .datetime({ offset: true })
  .transform((text) => new Date(text))
  .meta({ description: 'RFC 3339 timestamp' });

/** A key id (UUID), or an alias name (`alias/…`). */
export const keyRef = z
  .string()
  .min(1)
  .max(256)
  .meta({ description: 'Key id (UUID) or alias name (alias/…)' });

/** `{key}` in a path; an alias arrives URL-decoded (`alias%2Fname` → `alias/name`). */
export const keyParams = z.strictObject({ key: keyRef });

/** String → string; the service bounds its total size (8 KiB). */
export const encryptionContext = z
  .record(z.string(), z.string())
  .meta({ id: 'EncryptionContext', description: 'Authenticated context: string → string' });

export const tags = z
  .record(z.string().max(128), z.string().max(256))
  .meta({ id: 'Tags', description: 'Tag key → value' });

/** A page size from a query string. */
export const pageLimit = z.coerce.number().int().min(1).max(1000).optional();
export const pageCursor = z.string().max(1024).optional();
