import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorCodeOf } from './error-code.js';
import type { Metrics, Outcome } from './metrics.js';
import { sharedPlugin } from './shared-plugin.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Service operation name for metrics and traces, e.g. `encrypt`. */
    readonly operation?: string;
    /** The door: `rest`, `aws`, `vault`, `kmip`, `ops`. */
    readonly api?: string;
  }
  interface FastifyRequest {
    /**
     * The operation when one route serves many (the AWS door's X-Amz-Target,
     * a KMIP batch): set it in the handler with `nameOperation`; it overrides
     * the route's `config.operation`.
     */
    operationName?: string;
  }
}

/**
 * Names the operation of a request whose route serves several, for metrics
 * and traces. Only names from a fixed table: every distinct name is a series.
 *
 * @example
 * nameOperation(request, 'encrypt'); // after looking X-Amz-Target up
 */
export function nameOperation(request: FastifyRequest, operation: string): void {
  request.operationName = operation;
}

/** What a route declares for metrics and traces in its `config`. */
export interface RouteTelemetry {
  /** Service operation name, e.g. `encrypt`; routes without one count as `other`. */
  readonly operation?: string;
  /** The door: `rest`, `aws`, `vault`, `kmip`, `ops`; defaults to the plugin's `api`. */
  readonly api?: string;
}

export interface RequestMetricsOptions {
  readonly metrics: Metrics;
  /** The door when a route names none. */
  readonly api?: string;
}

/** A route's telemetry labels, from its config. */
export function routeTelemetry(
  request: FastifyRequest,
  defaultApi: string,
): Required<RouteTelemetry> {
  const { config } = request.routeOptions;
  return {
    operation: request.operationName ?? config.operation ?? 'other',
    api: config.api ?? defaultApi,
  };
}

export function outcomeOf(reply: FastifyReply): Outcome {
  if (reply.statusCode >= 500) return 'server_error';
  if (reply.statusCode >= 400) return 'client_error';
  return 'success';
}

/**
 * Records every request: count and duration by door and operation, and each
 * failure by its stable code. Only onError and onResponse hooks: nothing runs
 * on the way in, and `reply.elapsedTime` is Fastify's own clock.
 *
 * @example
 * await app.register(requestMetrics, { metrics, api: 'rest' });
 * app.post('/api/v1/keys/:key/encrypt', { config: { operation: 'encrypt' } }, handler);
 */
export const requestMetrics = sharedPlugin<RequestMetricsOptions>(
  'custos-request-metrics',
  (app, options) => {
    const { metrics } = options;
    const defaultApi = options.api ?? 'http';
    if (!app.hasRequestDecorator('operationName')) app.decorateRequest('operationName', undefined);
    app.addHook('onError', (_request, _reply, error, done) => {
      metrics.countError(errorCodeOf(error));
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      const { api, operation } = routeTelemetry(request, defaultApi);
      metrics.observeRequest(api, operation, outcomeOf(reply), reply.elapsedTime / 1000);
      done();
    });
    return Promise.resolve();
  },
);
