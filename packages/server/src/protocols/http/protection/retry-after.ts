import type { FastifyReply } from 'fastify';
import { InternalError, type KmsError, isKmsError } from '../../../core/errors.js';

/**
 * Sets Retry-After from a ThrottledError's `retryAfterSeconds` before the
 * error propagates: the header survives the error handler, so every door's
 * 429 carries it whatever body that door renders.
 */
export function withRetryAfter(reply: FastifyReply, error: KmsError): KmsError {
  const seconds = error.details.retryAfterSeconds;
  if (typeof seconds === 'number') reply.header('retry-after', String(seconds));
  return error;
}

/** `error` as an Error to pass on, with Retry-After set first when it is a throttle. */
export function withRetryAfterIfThrottled(reply: FastifyReply, error: unknown): Error {
  if (isKmsError(error) && error.code === 'THROTTLED') return withRetryAfter(reply, error);
  return error instanceof Error ? error : new InternalError('unexpected failure', { cause: error });
}

/** Rethrows `error`, adding Retry-After first when it is a throttle. */
export function rethrowWithRetryAfter(reply: FastifyReply, error: unknown): never {
  throw withRetryAfterIfThrottled(reply, error);
}
