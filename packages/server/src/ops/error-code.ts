import { type ErrorCode, isKmsError } from '../core/errors.js';

/**
 * The stable code of a failure for metrics and traces. Service errors carry
 * theirs; what Fastify raises itself (oversized or malformed bodies, timeouts)
 * carries only an HTTP status: 4xx is INVALID_INPUT, as the REST door renders it.
 */
export function errorCodeOf(error: unknown): ErrorCode {
  if (isKmsError(error)) return error.code;
  const status = statusOf(error);
  if (status === 429) return 'THROTTLED';
  if (status === 503 || status === 504 || status === 408) return 'UNAVAILABLE';
  if (status !== undefined && status >= 400 && status < 500) return 'INVALID_INPUT';
  return 'INTERNAL';
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}
