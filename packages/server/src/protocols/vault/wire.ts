import { z } from 'zod';
import { InvalidCiphertextError, InvalidInputError } from '../../core/errors.js';

/** `vault:v<N>:<payload>`: Vault's prefix on ciphertexts, signatures and HMACs. */
const PREFIXED = /^vault:v(\d{1,9}):(.+)$/s;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

export function prefixed(version: number, payload: Buffer, url = false): string {
  return `vault:v${version.toString()}:${payload.toString(url ? 'base64url' : 'base64')}`;
}

/**
 * Splits a `vault:vN:` string. The payload is our own v1 ciphertext (or a
 * signature), so `vault:vN:` + base64 of what the other doors return.
 */
export function unprefix(text: string, url = false): { version: number; payload: Buffer } {
  const match = PREFIXED.exec(text);
  const body = match?.[2];
  if (match?.[1] === undefined || body === undefined || !(url ? BASE64URL : BASE64).test(body)) {
    throw new InvalidInputError('invalid ciphertext: no prefix');
  }
  const version = Number(match[1]);
  if (version < 1) throw new InvalidInputError('invalid ciphertext: bad version');
  return { version, payload: Buffer.from(body, url ? 'base64url' : 'base64') };
}

/** A ciphertext's payload; any malformation is the uniform invalid ciphertext. */
export function unprefixCiphertext(text: string): { version: number; payload: Buffer } {
  try {
    return unprefix(text);
  } catch {
    throw new InvalidCiphertextError();
  }
}

/** Base64 text → bytes, a 400 naming the field (never its value) when malformed. */
export function decodeBase64(field: string, text: string): Buffer {
  if (!BASE64.test(text)) throw new InvalidInputError(`${field} must be base64`);
  return Buffer.from(text, 'base64');
}

/** Vault accepts numbers and booleans as JSON strings too (form-style clients). */
export const intLike = z.union([
  z.int(),
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
]);
export const boolLike = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((value) => value === 'true'),
]);

/** Parses a body with zod; a 400 naming the fields that are wrong. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'body');
  throw new InvalidInputError(`invalid request: ${[...new Set(fields)].join(', ')}`);
}
