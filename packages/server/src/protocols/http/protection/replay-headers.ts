import { z } from 'zod';
import { InvalidInputError } from '../../../core/errors.js';

export const NONCE_HEADER = 'x-custos-nonce';
export const TIMESTAMP_HEADER = 'x-custos-timestamp';

const nonceSchema = z.uuidv4();
const epochSecondsSchema = z.string().regex(/^\d{1,12}$/);
const rfc3339Schema = z.iso.datetime({ offset: true });

/** The two replay-protection headers, parsed. */
export interface ReplayHeaders {
  readonly nonce: string;
  /** Milliseconds since the epoch. */
  readonly timestampMs: number;
}

type HeaderValue = string | string[] | undefined;

/**
 * Reads X-Custos-Nonce (a UUIDv4) and X-Custos-Timestamp (RFC 3339 or epoch
 * seconds). Undefined when neither is sent; InvalidInput when only one is, or
 * either is malformed or repeated.
 */
export function parseReplayHeaders(
  nonce: HeaderValue,
  timestamp: HeaderValue,
): ReplayHeaders | undefined {
  if (nonce === undefined && timestamp === undefined) return undefined;
  if (nonce === undefined || timestamp === undefined) {
    throw new InvalidInputError('send X-Custos-Nonce and X-Custos-Timestamp together');
  }
  if (typeof nonce !== 'string' || !nonceSchema.safeParse(nonce).success) {
    throw new InvalidInputError('X-Custos-Nonce must be one UUIDv4');
  }
  return { nonce: nonce.toLowerCase(), timestampMs: parseTimestamp(timestamp) };
}

function parseTimestamp(value: string | string[]): number {
  if (typeof value === 'string') {
    if (epochSecondsSchema.safeParse(value).success) return Number(value) * 1000;
    if (rfc3339Schema.safeParse(value).success) return Date.parse(value);
  }
  throw new InvalidInputError('X-Custos-Timestamp must be one RFC 3339 time or epoch seconds');
}
