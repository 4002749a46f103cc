import { randomBytes } from 'node:crypto';

/**
 * Grant tokens name a grant (AWS: "all grant tokens for the same grant ID can
 * be used interchangeably", each CreateGrant returns a new one). They are
 * not secrets: retiring by token still needs the caller to be allowed to
 * retire that grant. Shape: base64url of version 1, the 32-byte grant id and
 * 16 random bytes.
 */
const VERSION = 1;
const GRANT_ID_BYTES = 32;
const TOKEN_BYTES = 1 + GRANT_ID_BYTES + 16;

export const GRANT_ID_RE = /^[0-9a-f]{64}$/;

export function newGrantId(): string {
  return randomBytes(GRANT_ID_BYTES).toString('hex');
}

export function grantToken(grantId: string): string {
  const bytes = Buffer.alloc(TOKEN_BYTES);
  bytes[0] = VERSION;
  bytes.write(grantId, 1, 'hex');
  randomBytes(16).copy(bytes, 1 + GRANT_ID_BYTES);
  return bytes.toString('base64url');
}

/** The grant id a token names, or undefined when it is not a token of ours. */
export function grantIdOfToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== TOKEN_BYTES || bytes[0] !== VERSION) return undefined;
  if (bytes.toString('base64url') !== token) return undefined;
  return bytes.subarray(1, 1 + GRANT_ID_BYTES).toString('hex');
}
