import { createCipheriv, randomFillSync } from 'node:crypto';
import { GCM_IV_LENGTH, GCM_TAG_LENGTH, aesGcmDecrypt } from './aead.js';
import { type EncryptionContext, canonicalContext } from './encryption-context.js';
import { CryptoError, invalidCiphertext } from './errors.js';

/**
 * Ciphertext format v1 (docs/formats.md):
 *
 *   offset  size  field
 *   0       1     format version (0x01)
 *   1       1     algorithm (0x01 = AES-256-GCM)
 *   2       16    key id (UUID, binary)
 *   18      4     key version (uint32, big-endian, ≥ 1)
 *   22      12    IV
 *   34      n     ciphertext
 *   34+n    16    GCM tag
 *
 * AAD = bytes 0–33 (the header, IV included) ‖ canonicalContext(context).
 */
export const CIPHERTEXT_FORMAT_V1 = 0x01;
export const ALGORITHM_AES_256_GCM = 0x01;
export const CIPHERTEXT_HEADER_LENGTH = 2 + 16 + 4 + GCM_IV_LENGTH;
export const CIPHERTEXT_OVERHEAD = CIPHERTEXT_HEADER_LENGTH + GCM_TAG_LENGTH;

export interface CiphertextHeader {
  readonly formatVersion: 1;
  readonly algorithm: 'AES_256_GCM';
  readonly keyId: string;
  readonly keyVersion: number;
}

export interface ParsedCiphertext {
  readonly header: CiphertextHeader;
  readonly headerBytes: Buffer;
  readonly iv: Buffer;
  readonly body: Buffer;
  readonly tag: Buffer;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function uuidToBytes(uuid: string): Buffer {
  if (!UUID_RE.test(uuid))
    throw new CryptoError('INVALID_INPUT', 'key id must be a lowercase UUID');
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

// Encrypt is the hot path: key ids repeat, so their binary form is kept
// (a bounded map; ids are public).
const uuidBytesCache = new Map<string, Buffer>();

function cachedUuidBytes(uuid: string): Buffer {
  let bytes = uuidBytesCache.get(uuid);
  if (bytes === undefined) {
    bytes = uuidToBytes(uuid);
    if (uuidBytesCache.size >= 4096) uuidBytesCache.clear();
    uuidBytesCache.set(uuid, bytes);
  }
  return bytes;
}

export function bytesToUuid(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Writes the header, with a fresh random IV, into the first bytes of `out`. */
function writeHeader(out: Buffer, keyId: string, keyVersion: number): void {
  if (!Number.isInteger(keyVersion) || keyVersion < 1 || keyVersion > 0xffffffff) {
    throw new CryptoError('INVALID_INPUT', 'key version must be a positive 32-bit integer');
  }
  out[0] = CIPHERTEXT_FORMAT_V1;
  out[1] = ALGORITHM_AES_256_GCM;
  cachedUuidBytes(keyId).copy(out, 2);
  out.writeUInt32BE(keyVersion, 18);
  randomFillSync(out, 22, GCM_IV_LENGTH);
}

/**
 * Encrypts under a key version and returns a self-describing v1 ciphertext.
 *
 * @example
 * const blob = encryptCiphertext(key, { keyId, keyVersion: 1 }, plaintext, { tenant: 'a' });
 */
export function encryptCiphertext(
  key: Uint8Array,
  ref: { readonly keyId: string; readonly keyVersion: number },
  plaintext: Uint8Array,
  context?: EncryptionContext,
): Buffer {
  if (key.length !== 32) throw new CryptoError('INVALID_KEY', 'AES-256 key must be 32 bytes');
  // One allocation for the whole blob: header, then ciphertext, then tag.
  const out = Buffer.allocUnsafe(CIPHERTEXT_OVERHEAD + plaintext.length);
  writeHeader(out, ref.keyId, ref.keyVersion);
  const header = out.subarray(0, CIPHERTEXT_HEADER_LENGTH);
  const aad = Buffer.concat([header, canonicalContext(context)]);
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(22, CIPHERTEXT_HEADER_LENGTH));
  cipher.setAAD(aad);
  let offset = CIPHERTEXT_HEADER_LENGTH;
  offset += cipher.update(plaintext).copy(out, offset);
  offset += cipher.final().copy(out, offset);
  cipher.getAuthTag().copy(out, offset);
  return out;
}

/**
 * Reads the header of a v1 ciphertext without decrypting it, so the caller can
 * find the key. Malformed input is the uniform INVALID_CIPHERTEXT.
 */
export function parseCiphertext(blob: Uint8Array): ParsedCiphertext {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < CIPHERTEXT_OVERHEAD) throw invalidCiphertext();
  if (buf[0] !== CIPHERTEXT_FORMAT_V1 || buf[1] !== ALGORITHM_AES_256_GCM)
    throw invalidCiphertext();
  const keyVersion = buf.readUInt32BE(18);
  if (keyVersion === 0) throw invalidCiphertext();
  const headerBytes = buf.subarray(0, CIPHERTEXT_HEADER_LENGTH);
  return {
    header: {
      formatVersion: 1,
      algorithm: 'AES_256_GCM',
      keyId: bytesToUuid(buf.subarray(2, 18)),
      keyVersion,
    },
    headerBytes,
    iv: buf.subarray(22, CIPHERTEXT_HEADER_LENGTH),
    body: buf.subarray(CIPHERTEXT_HEADER_LENGTH, buf.length - GCM_TAG_LENGTH),
    tag: buf.subarray(buf.length - GCM_TAG_LENGTH),
  };
}

/** Decrypts a parsed ciphertext; a wrong key or context is INVALID_CIPHERTEXT. */
export function decryptCiphertext(
  key: Uint8Array,
  parsed: ParsedCiphertext,
  context?: EncryptionContext,
): Buffer {
  if (key.length !== 32) throw invalidCiphertext();
  const aad = Buffer.concat([parsed.headerBytes, canonicalContext(context)]);
  return aesGcmDecrypt(key, parsed.iv, parsed.body, parsed.tag, aad);
}
