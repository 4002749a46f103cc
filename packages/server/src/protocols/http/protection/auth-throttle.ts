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
const MAX_BLOCKED = 10_000;

export class AuthFailureThrottle {
  readonly #failures: RateLimiterMemory;
  readonly #max: number;
  // Addresses that used up their failures, until when (ms). Checked on every
  // request, so the check is a synchronous Map lookup, not a limiter promise.
  readonly #blocked = new Map<string, number>();
  readonly #now: () => number;

  constructor(options: AuthThrottleOptions = {}, now: () => number = Date.now) {
    const parsed = authThrottleOptionsSchema.parse(options);
    this.#max = parsed.maxFailures;
    this.#now = now;
    this.#failures = new RateLimiterMemory({
      keyPrefix: 'auth-failures',
      points: parsed.maxFailures,
      duration: parsed.windowSeconds,
    });
  }

  /** ThrottledError when `address` has no failed attempts left in this window. */
  check(address: string): void {
    if (this.#blocked.size === 0) return;
    const until = this.#blocked.get(address);
    if (until === undefined) return;
    const wait = until - this.#now();
    if (wait > 0) throw throttled('too many failed authentications from this address', wait);
    this.#blocked.delete(address);
  }

  async recordFailure(address: string): Promise<void> {
    const state = await this.#failures.penalty(address, 1);
    if (state.consumedPoints < this.#max) return;
    const now = this.#now();
    if (this.#blocked.size >= MAX_BLOCKED) this.#sweep(now);
    this.#blocked.set(address, now + state.msBeforeNext);
  }

  /** Drops expired blocks, so addresses that never return do not pile up. */
  #sweep(now: number): void {
    for (const [address, until] of this.#blocked) if (until <= now) this.#blocked.delete(address);
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
    app.addHook('onRequest', (request, reply, done) => {
      try {
        throttle.check(request.ip);
      } catch (error) {
        done(isKmsError(error) ? withRetryAfter(reply, error) : (error as Error));
        return;
      }
      done();
    });
    app.addHook('onError', async (request, _reply, error) => {
      if (isKmsError(error) && error.code === 'UNAUTHENTICATED') {
        await throttle.recordFailure(request.ip);
      }
    });
    return Promise.resolve();
  },
);
