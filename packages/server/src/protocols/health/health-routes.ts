import type { FastifyPluginAsync } from 'fastify';

/** What the composition root reports about the process, for the probes. */
export interface HealthReport {
  readonly initialized: boolean;
  readonly sealed: boolean;
  /** Whether the store answered a ping (within the probe's timeout). */
  readonly store: 'ok' | 'unavailable';
}

export interface HealthRoutesOptions {
  /** Never rejects: a store that fails to answer is reported as `unavailable`. */
  readonly probe: () => Promise<HealthReport>;
  readonly version: string;
}

const PROBE = { public: true, api: 'ops' } as const;

/**
 * The unauthenticated probes. `/health/live`: the process answers HTTP.
 * `/health/ready`: 200 only when unsealed and the store answers, else 503, so
 * a load balancer sends no traffic to a node that would refuse it.
 * `/health`: the whole report, always 200 when the process answers.
 *
 * @example
 * await app.register(healthRoutes, { probe: () => probe(kms), version: VERSION });
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = (app, options) => {
  const { probe, version } = options;

  app.get('/health/live', { config: { ...PROBE, operation: 'live' } }, () =>
    Promise.resolve({ status: 'ok' }),
  );

  app.get(
    '/health/ready',
    { config: { ...PROBE, operation: 'ready' } },
    async (_request, reply) => {
      const report = await probe();
      const ready = !report.sealed && report.store === 'ok';
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not-ready', ...report });
    },
  );

  app.get('/health', { config: { ...PROBE, operation: 'health' } }, async () => {
    const report = await probe();
    const status = report.store !== 'ok' ? 'degraded' : report.sealed ? 'sealed' : 'ok';
    return { status, version, ...report };
  });

  return Promise.resolve();
};
