import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { type KmsError, ThrottledError } from '../../../core/errors.js';

/**
 * A limit: `points` requests per `durationSeconds`, plus an optional burst
 * allowance of `burstPoints` per `burstDurationSeconds` spent only once the
 * steady rate is used up: together a token bucket with a refill rate and a
 * bucket size.
 */
export const rateLimitSchema = z.strictObject({
  points: z.int().positive(),
  durationSeconds: z.int().positive(),
  burstPoints: z.int().positive().optional(),
  burstDurationSeconds: z.int().positive().optional(),
});
export type RateLimit = z.infer<typeof rateLimitSchema>;

/** Seconds to tell a throttled caller to wait (Retry-After), never 0. */
export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

export function throttled(message: string, msBeforeNext: number): KmsError {
  return new ThrottledError(message, {
    details: { retryAfterSeconds: retryAfterSeconds(msBeforeNext) },
  });
}

/**
 * One limit over many keys (addresses, principals), in memory on this node.
 * A scale-out deployment swaps RateLimiterMemory for RateLimiterRedis.
 */
export class Limiter {
  readonly #limiter: RateLimiterMemory | BurstyRateLimiter;

  constructor(
    limit: RateLimit,
    private readonly what: string,
  ) {
    const parsed = rateLimitSchema.parse(limit);
    const steady = new RateLimiterMemory({
      points: parsed.points,
      duration: parsed.durationSeconds,
    });
    this.#limiter =
      parsed.burstPoints === undefined
        ? steady
        : new BurstyRateLimiter(
            steady,
            new RateLimiterMemory({
              keyPrefix: 'burst',
              points: parsed.burstPoints,
              duration: parsed.burstDurationSeconds ?? parsed.durationSeconds,
            }),
          );
  }

  /** Takes one point for `key`; ThrottledError (with retryAfterSeconds) when none is left. */
  async consume(key: string): Promise<void> {
    try {
      await this.#limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw throttled(`too many requests for this ${this.what}`, rejection.msBeforeNext);
      }
      throw rejection;
    }
  }
}
