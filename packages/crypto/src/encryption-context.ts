import { CryptoError } from './errors.js';

/** An encryption context: string → string, bound to a ciphertext as AAD. */
export type EncryptionContext = Readonly<Record<string, string>>;

const MAX_FIELD_BYTES = 0xffff;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Canonical bytes of an encryption context, independent of insertion order:
 * `count:u16 ‖ (keyLen:u16 ‖ key ‖ valueLen:u16 ‖ value)*`, entries sorted by
 * the UTF-8 bytes of the key, all integers big-endian (docs/formats.md).
 * The empty context encodes as two zero bytes.
 *
 * @example
 * canonicalContext({ tenant: 'a', purpose: 'b' }).equals(canonicalContext({ purpose: 'b', tenant: 'a' }))
 */
export function canonicalContext(context: EncryptionContext | undefined): Buffer {
  if (context === undefined) return Buffer.alloc(2);
  for (const [key, value] of Object.entries(context)) {
    // UTF-8 encoding turns every lone surrogate into U+FFFD, so two different
    // contexts would share one encoding; ill-formed strings are refused.
    if (LONE_SURROGATE.test(key) || LONE_SURROGATE.test(value)) {
      throw new CryptoError(
        'INVALID_INPUT',
        'encryption context strings must be well-formed Unicode',
      );
    }
  }
  const entries = Object.entries(context).map(
    ([key, value]) => [Buffer.from(key, 'utf8'), Buffer.from(value, 'utf8')] as const,
  );
  if (entries.length > MAX_FIELD_BYTES) {
    throw new CryptoError('INVALID_INPUT', 'encryption context has too many entries');
  }
  entries.sort(([a], [b]) => Buffer.compare(a, b));
  const parts: Buffer[] = [u16(entries.length)];
  for (const [key, value] of entries) {
    if (key.length === 0)
      throw new CryptoError('INVALID_INPUT', 'encryption context keys must not be empty');
    if (key.length > MAX_FIELD_BYTES || value.length > MAX_FIELD_BYTES) {
      throw new CryptoError('INVALID_INPUT', 'encryption context entry is too long');
    }
    parts.push(u16(key.length), key, u16(value.length), value);
  }
  return Buffer.concat(parts);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
