import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../../ops/metrics.js';

export interface MetricsRouteOptions {
  readonly metrics: Metrics;
}

/**
 * GET /metrics in the Prometheus text format. Unauthenticated, as scrapers
 * expect: it reports counts and states, never key ids, principals or material.
 *
 * @example
 * await app.register(metricsRoute, { metrics });
 */
export const metricsRoute: FastifyPluginAsync<MetricsRouteOptions> = (app, options) => {
  const { metrics } = options;
  app.get(
    '/metrics',
    { config: { public: true, api: 'ops', operation: 'metrics' } },
    async (_request, reply) => {
      const text = await metrics.render();
      return reply.type(metrics.contentType).send(text);
    },
  );
  return Promise.resolve();
};
