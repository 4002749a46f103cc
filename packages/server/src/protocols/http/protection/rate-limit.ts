import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { sharedPlugin } from '../../../ops/shared-plugin.js';
import { Limiter, rateLimitSchema } from './limiter.js';
import { rethrowWithRetryAfter } from './retry-after.js';

export const rateLimitOptionsSchema = z.object({
  /** Requests per client address, counted before authentication. */
  perAddress: rateLimitSchema.optional(),
  /** Requests per authenticated principal (anonymous requests are not counted here). */
  perPrincipal: rateLimitSchema.optional(),
});
export type RateLimitOptions = z.infer<typeof rateLimitOptionsSchema>;

/**
 * Request rate limits. Over a limit → ThrottledError (429, THROTTLED) with
 * Retry-After. The address limit runs at onRequest, before any body is read;
 * the principal limit at preHandler, so register this plugin in the scope
 * whose authentication hook has set `request.principal` by then (an onRequest
 * or preValidation hook, or a preHandler registered earlier).
 *
 * @example
 * await app.register(rateLimits, { perAddress: { points: 200, durationSeconds: 1 } });
 */
export const rateLimits = sharedPlugin<RateLimitOptions>('custos-rate-limits', (app, raw) => {
  const options = rateLimitOptionsSchema.parse(raw);
  if (options.perAddress !== undefined) {
    const limiter = new Limiter(options.perAddress, 'client address');
    app.addHook('onRequest', (request, reply) => consume(limiter, request.ip, reply));
  }
  if (options.perPrincipal !== undefined) {
    const limiter = new Limiter(options.perPrincipal, 'principal');
    app.addHook('preHandler', (request, reply) => {
      // Undefined when no authentication hook ran in this scope.
      const { principal } = request;
      // Anonymous callers are limited by address; their requests fail authentication anyway.
      if (principal === undefined || principal.kind === 'anonymous') return Promise.resolve();
      return consume(limiter, principal.id, reply);
    });
  }
  return Promise.resolve();
});

async function consume(limiter: Limiter, key: string, reply: FastifyReply): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    rethrowWithRetryAfter(reply, error);
  }
}
