import type { FastifyReply } from 'fastify';
import { UnavailableError } from '../../../core/errors.js';
import { sharedPlugin } from '../../../ops/shared-plugin.js';

export interface RequestTimeoutOptions {
  /** Milliseconds from a request's arrival to its response; 0 turns the limit off. */
  readonly timeoutMs: number;
}

/**
 * The per-request time limit: a request still unanswered `timeoutMs` after it
 * arrived (a slow body, a stuck handler) is answered 503 UNAVAILABLE through
 * the door's error handler. Fastify's own handlerTimeout does this with a
 * timer and an AbortController per request, and aborts the controller with a
 * fresh DOMException when every request closes (about 5% of a warm encrypt);
 * here one sweep, a few times per timeout, walks a Map kept in arrival order,
 * so a request costs a Map insert and delete. Answers come up to a quarter
 * of the timeout late.
 *
 * @example
 * await app.register(requestTimeout, { timeoutMs: 30_000 });
 */
export const requestTimeout = sharedPlugin<RequestTimeoutOptions>(
  'custos-request-timeout',
  (app, { timeoutMs }) => {
    if (timeoutMs <= 0) return Promise.resolve();
    // Arrival order is deadline order: every request gets the same timeout.
    const deadlines = new Map<FastifyReply, number>();
    const sweep = () => {
      const now = performance.now();
      for (const [reply, deadline] of deadlines) {
        if (deadline > now) return;
        deadlines.delete(reply);
        if (!reply.sent && !reply.raw.headersSent) {
          reply.send(new UnavailableError('the request took longer than the server allows'));
        }
      }
    };
    const timer = setInterval(sweep, Math.max(10, Math.floor(timeoutMs / 4)));
    timer.unref();
    app.addHook('onClose', (_app, done) => {
      clearInterval(timer);
      done();
    });
    app.addHook('onRequest', (_request, reply, done) => {
      deadlines.set(reply, performance.now() + timeoutMs);
      done();
    });
    // A request whose client went away leaves its entry until its deadline,
    // when the sweep drops it; the Map stays bounded by rate × timeout.
    app.addHook('onResponse', (_request, reply, done) => {
      deadlines.delete(reply);
      done();
    });
    return Promise.resolve();
  },
);
