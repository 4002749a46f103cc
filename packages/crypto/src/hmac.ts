import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual } from './constant-time.js';
import { type HashName, nodeHashName } from './key-spec.js';

/** HMAC (RFC 2104) with SHA-256, SHA-384 or SHA-512. */
export function hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac(nodeHashName(hash), key).update(data).digest();
}

/** Verifies a MAC in constant time. */
export function hmacVerify(
  hash: HashName,
  key: Uint8Array,
  data: Uint8Array,
  mac: Uint8Array,
): boolean {
  return constantTimeEqual(hmac(hash, key, data), mac);
}

export function digest(hash: HashName, data: Uint8Array): Buffer {
  return createHash(nodeHashName(hash)).update(data).digest();
}
