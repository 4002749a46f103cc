import { hash, randomBytes } from 'node:crypto';

/** Every Custos token starts with this, so secret scanners and our own logs can spot one. */
export const TOKEN_PREFIX = 'cus_';

// 'cus_' + base64url of 32 random bytes (256 bits): 43 characters, no padding.
const TOKEN_SHAPE = /^cus_[A-Za-z0-9_-]{43}$/;

/** A new token secret; shown to its owner once and never stored. */
export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function looksLikeToken(secret: string): boolean {
  return TOKEN_SHAPE.test(secret);
}

/**
 * The token's id in the store: hex SHA-256 of the secret. The secret has 256
 * bits of entropy, so an unsalted fast hash is enough (nothing to brute-force),
 * and looking a token up by its hash compares no secret in variable time.
 */
export function tokenId(secret: string): string {
  // One-shot hash: every authenticated request computes this, and the
  // streaming createHash() costs three times as much for 47 bytes.
  return hash('sha256', secret, 'hex');
}

/** A token's public handle: 96 random bits, 16 base64url characters. */
export function newAccessor(): string {
  return randomBytes(12).toString('base64url');
}
