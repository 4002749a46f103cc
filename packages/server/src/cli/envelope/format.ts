/**
 * The CLI envelope format v1 (docs/formats.md, "CLI envelope format"): large
 * inputs encrypted locally under a data key, in authenticated chunks.
 *
 *   offset  size  field
 *   0       4     magic "CSEN" (43 53 45 4e)
 *   4       1     format version (0x01)
 *   5       1     algorithm (0x01 = AES-256-GCM, 16-byte tags)
 *   6       4     chunk size: plaintext bytes per full chunk (uint32, 1 … 16 MiB)
 *   10      12    nonce base (random)
 *   22      32    SHA-256 of the canonical encryption context
 *   54      2     wrapped data key length n (uint16)
 *   56      n     wrapped data key: a v1 Custos ciphertext of the 32-byte data key
 *   56+n    …     chunks: full chunks are chunkSize + 16 bytes; the last chunk is
 *                 shorter (0 … chunkSize − 1 plaintext bytes + 16) and always present.
 *
 * Chunk i: nonce = nonceBase XOR (0⁴ ‖ uint64(i)); AAD = header ‖ uint64(i) ‖ final.
 */
import { createHash } from 'node:crypto';
import { type EncryptionContext, canonicalContext, constantTimeEqual } from '@custos/crypto';
import { EnvelopeError } from './errors.js';

export const ENVELOPE_MAGIC = Buffer.from('CSEN', 'ascii');
export const ENVELOPE_VERSION = 0x01;
export const ENVELOPE_ALGORITHM_AES_256_GCM = 0x01;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
/** Bounds the memory a reader commits to one chunk, whatever a header claims. */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
export const NONCE_LENGTH = 12;
export const TAG_LENGTH = 16;
export const DATA_KEY_LENGTH = 32;
/** Counter space used: past this many chunks the writer stops rather than wrap. */
export const MAX_CHUNKS = 0xffffffff;
export const FIXED_HEADER_LENGTH = 56;
const MIN_WRAPPED_KEY_LENGTH = 51;
const MAX_WRAPPED_KEY_LENGTH = 1024;

export interface EnvelopeHeader {
  readonly chunkSize: number;
  readonly nonceBase: Buffer;
  readonly contextDigest: Buffer;
  readonly wrappedKey: Buffer;
  /** The exact header bytes, which every chunk authenticates. */
  readonly bytes: Buffer;
}

/** SHA-256 of the canonical context: binds the envelope to the context it was made under. */
export function contextDigest(context: EncryptionContext | undefined): Buffer {
  return createHash('sha256').update(canonicalContext(context)).digest();
}

export function encodeHeader(fields: {
  readonly chunkSize: number;
  readonly nonceBase: Uint8Array;
  readonly context: EncryptionContext | undefined;
  readonly wrappedKey: Uint8Array;
}): EnvelopeHeader {
  const { chunkSize, nonceBase, wrappedKey } = fields;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new TypeError(`chunk size must be an integer in 1 … ${String(MAX_CHUNK_SIZE)}`);
  }
  if (nonceBase.length !== NONCE_LENGTH) throw new TypeError('nonce base must be 12 bytes');
  if (wrappedKey.length < MIN_WRAPPED_KEY_LENGTH || wrappedKey.length > MAX_WRAPPED_KEY_LENGTH) {
    throw new TypeError('wrapped data key has an impossible length');
  }
  const bytes = Buffer.alloc(FIXED_HEADER_LENGTH + wrappedKey.length);
  ENVELOPE_MAGIC.copy(bytes, 0);
  bytes[4] = ENVELOPE_VERSION;
  bytes[5] = ENVELOPE_ALGORITHM_AES_256_GCM;
  bytes.writeUInt32BE(chunkSize, 6);
  Buffer.from(nonceBase).copy(bytes, 10);
  contextDigest(fields.context).copy(bytes, 22);
  bytes.writeUInt16BE(wrappedKey.length, 54);
  Buffer.from(wrappedKey).copy(bytes, FIXED_HEADER_LENGTH);
  return parseHeader(bytes);
}

/** True when `prefix` (at least 4 bytes) starts like an envelope rather than a v1 ciphertext. */
export function hasEnvelopeMagic(prefix: Uint8Array): boolean {
  return prefix.length >= ENVELOPE_MAGIC.length && ENVELOPE_MAGIC.equals(prefix.subarray(0, 4));
}

/** The total header length announced by the fixed part (first 56 bytes). */
export function headerLength(fixed: Buffer): number {
  checkFixedHeader(fixed);
  return FIXED_HEADER_LENGTH + fixed.readUInt16BE(54);
}

function checkFixedHeader(fixed: Buffer): void {
  /* Precondition: the magic says this is an envelope at all. */
  if (!hasEnvelopeMagic(fixed)) throw new EnvelopeError('NOT_AN_ENVELOPE', 'not a Custos envelope');
  if (fixed.length < FIXED_HEADER_LENGTH) {
    throw new EnvelopeError('TRUNCATED', 'envelope is truncated inside its header');
  }
  if (fixed[4] !== ENVELOPE_VERSION || fixed[5] !== ENVELOPE_ALGORITHM_AES_256_GCM) {
    throw new EnvelopeError(
      'UNSUPPORTED_VERSION',
      `unsupported envelope version ${String(fixed[4])} / algorithm ${String(fixed[5])}`,
    );
  }
  const chunkSize = fixed.readUInt32BE(6);
  const wrappedLength = fixed.readUInt16BE(54);
  if (
    chunkSize < 1 ||
    chunkSize > MAX_CHUNK_SIZE ||
    wrappedLength < MIN_WRAPPED_KEY_LENGTH ||
    wrappedLength > MAX_WRAPPED_KEY_LENGTH
  ) {
    throw new EnvelopeError('MALFORMED_HEADER', 'envelope header is malformed');
  }
}

/** Parses a complete header (exactly `headerLength` bytes). */
export function parseHeader(bytes: Buffer): EnvelopeHeader {
  const length = headerLength(bytes);
  if (bytes.length < length) {
    throw new EnvelopeError('TRUNCATED', 'envelope is truncated inside its header');
  }
  const exact = Buffer.from(bytes.subarray(0, length));
  return {
    chunkSize: exact.readUInt32BE(6),
    nonceBase: exact.subarray(10, 22),
    contextDigest: exact.subarray(22, 54),
    wrappedKey: exact.subarray(FIXED_HEADER_LENGTH),
    bytes: exact,
  };
}

/**
 * Refuses a context other than the one the envelope was made under, before
 * the data key is asked for: the server would refuse too, but less clearly.
 */
export function checkContext(header: EnvelopeHeader, context: EncryptionContext | undefined): void {
  if (!constantTimeEqual(header.contextDigest, contextDigest(context))) {
    throw new EnvelopeError(
      'CONTEXT_MISMATCH',
      'the encryption context does not match the one the data was encrypted with',
    );
  }
}

/** Chunk i's nonce: the base with the 64-bit chunk index XORed into its last 8 bytes. */
export function chunkNonce(nonceBase: Buffer, index: number): Buffer {
  const nonce = Buffer.from(nonceBase);
  const high = Math.floor(index / 0x1_0000_0000);
  const low = index >>> 0;
  nonce.writeUInt32BE((nonce.readUInt32BE(4) ^ high) >>> 0, 4);
  nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ low) >>> 0, 8);
  return nonce;
}

/** Chunk i's AAD: index and finality are authenticated, so reordering and cutting fail. */
export function chunkAad(header: EnvelopeHeader, index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(header.bytes.length + 9);
  header.bytes.copy(aad, 0);
  aad.writeUInt32BE(Math.floor(index / 0x1_0000_0000), header.bytes.length);
  aad.writeUInt32BE(index >>> 0, header.bytes.length + 4);
  aad[header.bytes.length + 8] = final ? 1 : 0;
  return aad;
}
