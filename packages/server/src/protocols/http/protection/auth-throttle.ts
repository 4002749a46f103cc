import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import { isKmsError } from '../../../core/errors.js';
import { sharedPlugin } from '../../../ops/shared-plugin.js';
import { throttled } from './limiter.js';
import { withRetryAfter } from './retry-after.js';

export const authThrottleOptionsSchema = z.object({
  /** Failed authentications an address may make per window before it is refused. */
  maxFailures: z.int().positive().default(10),
  windowSeconds: z.int().positive().default(300),
});
export type AuthThrottleOptions = z.input<typeof authThrottleOptionsSchema>;

/**
 * Counts failed authentications per client address. Once an address has
 * used up its failures, its requests are refused before any credential is
 * looked at, so guessing tokens costs the guesser the window, not us a lookup.
 */
export class AuthFailureThrottle {
  readonly #failures: RateLimiterMemory;
  readonly #max: number;

  constructor(options: AuthThrottleOptions = {}) {
    const parsed = authThrottleOptionsSchema.parse(options);
    this.#max = parsed.maxFailures;
    this.#failures = new RateLimiterMemory({
      keyPrefix: 'auth-failures',
      points: parsed.maxFailures,
      duration: parsed.windowSeconds,
    });
  }

  /** ThrottledError when `address` has no failed attempts left in this window. */
  async check(address: string): Promise<void> {
    const state = await this.#failures.get(address);
    if (state !== null && state.consumedPoints >= this.#max) {
      throw throttled('too many failed authentications from this address', state.msBeforeNext);
    }
  }

  async recordFailure(address: string): Promise<void> {
    await this.#failures.penalty(address, 1);
  }
}

/**
 * The throttle as hooks: check at onRequest (register this plugin before, or
 * in a parent scope of, the authentication hook), and count every request
 * that ends in UNAUTHENTICATED, whichever door raised it.
 *
 * @example
 * await app.register(authFailureThrottle, { maxFailures: 10, windowSeconds: 300 });
 */
export const authFailureThrottle = sharedPlugin<AuthThrottleOptions>(
  'custos-auth-failure-throttle',
  (app, options) => {
    const throttle = new AuthFailureThrottle(options);
    app.addHook('onRequest', async (request, reply) => {
      try {
        await throttle.check(request.ip);
      } catch (error) {
        if (isKmsError(error)) throw withRetryAfter(reply, error);
        throw error;
      }
    });
    app.addHook('onError', async (request, _reply, error) => {
      if (isKmsError(error) && error.code === 'UNAUTHENTICATED') {
        await throttle.recordFailure(request.ip);
      }
    });
    return Promise.resolve();
  },
);
