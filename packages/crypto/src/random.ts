import { randomBytes, randomFillSync, randomUUID } from 'node:crypto';

export function randomBytesOf(length: number): Buffer {
  return randomBytes(length);
}

export function newUuid(): string {
  return randomUUID();
}

/**
 * Nonces are drawn from a pool of CSPRNG output refilled 4 KiB at a time: a
 * call into the CSPRNG costs about a microsecond whatever its length, as much
 * as the AES-GCM of a short message. Every pool byte is handed out once and
 * nonces are public once used, so pooling changes neither their randomness
 * nor their uniqueness (node:crypto pools randomUUID the same way).
 */
const NONCE_POOL_BYTES = 4096;
let noncePool = Buffer.alloc(0);
let noncePoolUsed = 0;

/**
 * Writes `length` fresh random bytes for a nonce or IV into `out` at `offset`.
 * Not for key material: pooled bytes sit in memory until they are used.
 *
 * @example
 * fillRandomNonce(blob, 22, 12); // the IV of a v1 ciphertext
 */
export function fillRandomNonce(out: Uint8Array, offset: number, length: number): void {
  if (length > NONCE_POOL_BYTES) {
    randomFillSync(out, offset, length);
    return;
  }
  if (noncePoolUsed + length > noncePool.length) {
    noncePool = randomFillSync(Buffer.allocUnsafeSlow(NONCE_POOL_BYTES));
    noncePoolUsed = 0;
  }
  noncePool.copy(out, offset, noncePoolUsed, noncePoolUsed + length);
  noncePoolUsed += length;
}
