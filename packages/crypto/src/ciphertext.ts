import { createCipheriv } from 'node:crypto';
import { GCM_IV_LENGTH, GCM_TAG_LENGTH, aesGcmDecrypt } from './aead.js';
import { chachaPolyDecrypt } from './chacha20-poly1305.js';
import { type EncryptionContext, canonicalContext } from './encryption-context.js';
import { CryptoError, invalidCiphertext } from './errors.js';
import { fillRandomNonce } from './random.js';
import type { SymmetricCipher } from './key-spec.js';

/**
 * Ciphertext format v1 (docs/formats.md):
 *
 *   offset  size  field
 *   0       1     format version (0x01)
 *   1       1     algorithm (0x01 AES-256-GCM, 0x02 AES-128-GCM, 0x03 ChaCha20-Poly1305)
 *   2       16    key id (UUID, binary)
 *   18      4     key version (uint32, big-endian, ≥ 1)
 *   22      12    IV (nonce)
 *   34      n     ciphertext
 *   34+n    16    tag
 *
 * AAD = bytes 0–33 (the header, IV included) ‖ canonicalContext(context).
 */
export const CIPHERTEXT_FORMAT_V1 = 0x01;
export const ALGORITHM_AES_256_GCM = 0x01;
export const ALGORITHM_AES_128_GCM = 0x02;
export const ALGORITHM_CHACHA20_POLY1305 = 0x03;
/** All three AEADs take a 96-bit nonce and give a 128-bit tag. */
export const CIPHERTEXT_HEADER_LENGTH = 2 + 16 + 4 + GCM_IV_LENGTH;
export const CIPHERTEXT_OVERHEAD = CIPHERTEXT_HEADER_LENGTH + GCM_TAG_LENGTH;

interface CipherEntry {
  readonly byte: number;
  readonly keyLength: number;
  readonly node: 'aes-256-gcm' | 'aes-128-gcm' | 'chacha20-poly1305';
}

const CIPHERS: Readonly<Record<SymmetricCipher, CipherEntry>> = {
  AES_256_GCM: { byte: ALGORITHM_AES_256_GCM, keyLength: 32, node: 'aes-256-gcm' },
  AES_128_GCM: { byte: ALGORITHM_AES_128_GCM, keyLength: 16, node: 'aes-128-gcm' },
  CHACHA20_POLY1305: {
    byte: ALGORITHM_CHACHA20_POLY1305,
    keyLength: 32,
    node: 'chacha20-poly1305',
  },
};

function cipherOfByte(byte: number | undefined): SymmetricCipher | undefined {
  for (const [name, entry] of Object.entries(CIPHERS)) {
    if (entry.byte === byte) return name as SymmetricCipher;
  }
  return undefined;
}

/** The key length a cipher takes (16 for AES-128-GCM, else 32). */
export function cipherKeyLength(cipher: SymmetricCipher): number {
  return CIPHERS[cipher].keyLength;
}

export interface CiphertextHeader {
  readonly formatVersion: 1;
  readonly algorithm: SymmetricCipher;
  readonly keyId: string;
  readonly keyVersion: number;
}

export interface EncryptCiphertextOptions {
  /** Default AES_256_GCM. */
  readonly cipher?: SymmetricCipher;
  /**
   * A fixed 12-byte nonce instead of a random one. Only for convergent
   * encryption, where the nonce is derived from the key and the message: a
   * nonce repeated with different input under one key breaks both AEADs.
   */
  readonly nonce?: Uint8Array;
}

export interface ParsedCiphertext {
  readonly header: CiphertextHeader;
  readonly headerBytes: Buffer;
  readonly iv: Buffer;
  readonly body: Buffer;
  readonly tag: Buffer;
}

/** canonicalContext(undefined), read-only: most calls carry no context, and it was a fresh (unpooled) allocation each. */
const NO_CONTEXT = canonicalContext(undefined);

function contextBytes(context: EncryptionContext | undefined): Buffer {
  return context === undefined ? NO_CONTEXT : canonicalContext(context);
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

/** Writes the header, with a fresh random IV unless one is given, into the first bytes of `out`. */
function writeHeader(
  out: Buffer,
  ref: { readonly keyId: string; readonly keyVersion: number },
  cipher: CipherEntry,
  nonce: Uint8Array | undefined,
): void {
  const { keyId, keyVersion } = ref;
  if (!Number.isInteger(keyVersion) || keyVersion < 1 || keyVersion > 0xffffffff) {
    throw new CryptoError('INVALID_INPUT', 'key version must be a positive 32-bit integer');
  }
  out[0] = CIPHERTEXT_FORMAT_V1;
  out[1] = cipher.byte;
  cachedUuidBytes(keyId).copy(out, 2);
  out.writeUInt32BE(keyVersion, 18);
  if (nonce === undefined) fillRandomNonce(out, 22, GCM_IV_LENGTH);
  else out.set(nonce, 22);
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
  options: EncryptCiphertextOptions = {},
): Buffer {
  const entry = CIPHERS[options.cipher ?? 'AES_256_GCM'];
  if (key.length !== entry.keyLength) {
    throw new CryptoError(
      'INVALID_KEY',
      `${entry.node} key must be ${String(entry.keyLength)} bytes`,
    );
  }
  if (options.nonce !== undefined && options.nonce.length !== GCM_IV_LENGTH) {
    throw new CryptoError('INVALID_INPUT', 'the nonce must be 12 bytes');
  }
  // One allocation for the whole blob: header, then ciphertext, then tag.
  const out = Buffer.allocUnsafe(CIPHERTEXT_OVERHEAD + plaintext.length);
  writeHeader(out, ref, entry, options.nonce);
  const header = out.subarray(0, CIPHERTEXT_HEADER_LENGTH);
  const aad = Buffer.concat([header, contextBytes(context)]);
  const iv = out.subarray(22, CIPHERTEXT_HEADER_LENGTH);
  const cipher =
    entry.node === 'chacha20-poly1305'
      ? createCipheriv(entry.node, key, iv, { authTagLength: GCM_TAG_LENGTH })
      : createCipheriv(entry.node, key, iv);
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
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
  const algorithm = cipherOfByte(buf[1]);
  if (buf[0] !== CIPHERTEXT_FORMAT_V1 || algorithm === undefined) throw invalidCiphertext();
  const keyVersion = buf.readUInt32BE(18);
  if (keyVersion === 0) throw invalidCiphertext();
  const headerBytes = buf.subarray(0, CIPHERTEXT_HEADER_LENGTH);
  return {
    header: {
      formatVersion: 1,
      algorithm,
      keyId: bytesToUuid(buf.subarray(2, 18)),
      keyVersion,
    },
    headerBytes,
    iv: buf.subarray(22, CIPHERTEXT_HEADER_LENGTH),
    body: buf.subarray(CIPHERTEXT_HEADER_LENGTH, buf.length - GCM_TAG_LENGTH),
    tag: buf.subarray(buf.length - GCM_TAG_LENGTH),
  };
}

/**
 * Decrypts a parsed ciphertext with the algorithm its header names; a wrong
 * key (or one of another length), or a wrong context, is INVALID_CIPHERTEXT.
 * The caller checks that the header's algorithm is its key's.
 */
export function decryptCiphertext(
  key: Uint8Array,
  parsed: ParsedCiphertext,
  context?: EncryptionContext,
): Buffer {
  const algorithm = parsed.header.algorithm;
  if (key.length !== CIPHERS[algorithm].keyLength) throw invalidCiphertext();
  const aad = Buffer.concat([parsed.headerBytes, contextBytes(context)]);
  if (algorithm === 'CHACHA20_POLY1305') {
    return chachaPolyDecrypt(key, parsed.iv, parsed.body, parsed.tag, aad);
  }
  return aesGcmDecrypt(key, parsed.iv, parsed.body, parsed.tag, aad);
}
