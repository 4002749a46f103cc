import { scrypt } from 'node:crypto';
import { InvalidInputError, needs } from '../core/errors.js';

/**
 * The passphrase seal's wrapped domain key, format version 1 (docs/formats.md):
 *
 * | offset | size | field                                                 |
 * | ------ | ---- | ----------------------------------------------------- |
 * | 0      | 1    | format version, 0x01                                  |
 * | 1      | 1    | log2(N), scrypt cost, 17..22                          |
 * | 2      | 1    | r, scrypt block size, 1..32                           |
 * | 3      | 1    | p, scrypt parallelism, 1..16                          |
 * | 4      | 16   | salt, random per wrap                                 |
 * | 20     | 60   | AES-256-GCM: IV (12) ‖ encrypted domain key (32) ‖ tag (16) |
 *
 * KEK = scrypt(passphrase, salt, N, r, p, dkLen 32). The GCM AAD is
 * 'custos:domain-key:v1' ‖ bytes 0..19, so the parameters and salt are
 * authenticated as well as implied by the derived key.
 */
export const FORMAT_VERSION = 1;
export const SALT_LENGTH = 16;
export const HEADER_LENGTH = 4 + SALT_LENGTH;
export const BLOB_LENGTH = HEADER_LENGTH + 12 + 32 + 16;

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

// A blob is untrusted input: these bounds cap what a hostile one can make us
// allocate (128·r·N bytes) or compute (∝ N·r·p) before the tag is checked.
const MIN_LOG2_N = 17;
const MAX_LOG2_N = 22;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY_BYTES = 2 ** 30;
const MAX_WORK = 2 ** 25; // 32 × the default N·r·p

/** Throws InvalidInputError unless N is a power of two and every bound holds. */
export function checkScryptParams({ N, r, p }: ScryptParams): void {
  const log2N = Math.log2(N);
  needs(
    Number.isInteger(log2N) && log2N >= MIN_LOG2_N && log2N <= MAX_LOG2_N,
    () => new InvalidInputError(`scrypt N must be a power of two from 2^17 to 2^22, got ${N}`),
  );
  needs(
    Number.isInteger(r) && r >= 1 && r <= MAX_R && Number.isInteger(p) && p >= 1 && p <= MAX_P,
    () => new InvalidInputError(`scrypt r must be 1..${MAX_R} and p 1..${MAX_P}`),
  );
  needs(
    128 * r * N <= MAX_MEMORY_BYTES && N * r * p <= MAX_WORK,
    () => new InvalidInputError('scrypt parameters exceed the memory or work limit'),
  );
}

export function encodeHeader(params: ScryptParams, salt: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(FORMAT_VERSION, 0);
  header.writeUInt8(Math.log2(params.N), 1);
  header.writeUInt8(params.r, 2);
  header.writeUInt8(params.p, 3);
  header.set(salt, 4);
  return header;
}

/** Splits and validates a blob before any key derivation is attempted. */
export function decodeBlob(blob: Uint8Array): {
  header: Buffer;
  params: ScryptParams;
  salt: Buffer;
  sealed: Buffer;
} {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  needs(
    bytes.length === BLOB_LENGTH && bytes[0] === FORMAT_VERSION,
    () => new InvalidInputError('the wrapped domain key is not a passphrase seal blob (v1)'),
  );
  // The header bytes are < 256 each; 2 ** 255 would fail the bounds check, not overflow.
  const params = { N: 2 ** bytes.readUInt8(1), r: bytes.readUInt8(2), p: bytes.readUInt8(3) };
  checkScryptParams(params);
  return {
    header: bytes.subarray(0, HEADER_LENGTH),
    params,
    salt: bytes.subarray(4, HEADER_LENGTH),
    sealed: bytes.subarray(HEADER_LENGTH),
  };
}

/** scrypt (RFC 7914) off the event loop, with maxmem set to exactly what the params need. */
export function deriveKek(
  passphrase: Uint8Array,
  salt: Uint8Array,
  { N, r, p }: ScryptParams,
): Promise<Buffer> {
  // OpenSSL needs 128·r·(N + 2) + 128·r·p bytes; anything less and it refuses.
  const maxmem = 128 * r * (N + 2 + p) + 2 ** 20;
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, 32, { N, r, p, maxmem }, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}
