import { ANONYMOUS_PRINCIPAL } from '../../../core/principal.js';
import { sharedPlugin } from '../../../ops/shared-plugin.js';
import { ReplayGuard, type ReplayGuardOptions } from './replay-guard.js';
import { withRetryAfterIfThrottled } from './retry-after.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** A fresh nonce and timestamp were verified (for the policy condition requireReplayProtection). */
    replayProtected?: boolean;
  }
}

/**
 * Replay protection as a preHandler hook. It needs the principal, so register
 * it in the scope whose authentication hook runs before preHandler (or as a
 * later preHandler). A verified request is marked `request.replayProtected`,
 * which the request context hands to the authorizer (policy condition
 * requireReplayProtection). A full nonce store answers THROTTLED with Retry-After.
 *
 * @example
 * await app.register(replayProtection, {
 *   store: new MemoryReplayStore(),
 *   requiresReplayProtection: (principal) => authz.requiresReplayProtection(principal),
 * });
 */
export const replayProtection = sharedPlugin<ReplayGuardOptions>(
  'custos-replay-protection',
  (app, options) => {
    const guard = new ReplayGuard(options);
    app.decorateRequest('replayProtected', false);
    // Callback style: most requests carry no headers, and they should not
    // pay for a promise and a microtask to learn that.
    app.addHook('preHandler', (request, reply, done) => {
      const principal = request.principal ?? ANONYMOUS_PRINCIPAL;
      let headers;
      try {
        headers = guard.inspect(request, principal);
      } catch (error) {
        done(error as Error);
        return;
      }
      if (headers === undefined) {
        done();
        return;
      }
      guard.claim(headers, principal).then(
        () => {
          request.replayProtected = true;
          done();
        },
        (error: unknown) => {
          done(withRetryAfterIfThrottled(reply, error));
        },
      );
    });
    return Promise.resolve();
  },
);
