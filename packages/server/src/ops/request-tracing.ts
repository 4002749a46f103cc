import { type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import { errorCodeOf } from './error-code.js';
import { routeTelemetry } from './request-metrics.js';
import { sharedPlugin } from './shared-plugin.js';

export interface RequestTracingOptions {
  readonly tracer: Tracer;
  /** The door when a route names none. */
  readonly api?: string;
}

/**
 * One server span per request, named `METHOD /route/pattern`, with the HTTP
 * semantic-convention attributes and `custos.operation`, `custos.api`,
 * `custos.request_id` and, on failure, `custos.error_code`. Nothing from
 * bodies, headers or query strings is recorded. Register only when tracing is
 * on (startTracing returned a tracer): when it is off no hook is installed.
 *
 * @example
 * await app.register(requestTracing, { tracer: tracing.tracer, api: 'rest' });
 */
export const requestTracing = sharedPlugin<RequestTracingOptions>(
  'custos-request-tracing',
  (app, options) => {
    const { tracer } = options;
    const defaultApi = options.api ?? 'http';
    const spans = new WeakMap<FastifyRequest, Span>();
    if (!app.hasRequestDecorator('operationName')) app.decorateRequest('operationName', undefined);

    app.addHook('onRequest', (request, _reply, done) => {
      const route = request.routeOptions.url;
      const { api, operation } = routeTelemetry(request, defaultApi);
      const span = tracer.startSpan(`${request.method} ${route ?? 'unmatched'}`, {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?', 1)[0] ?? '',
          ...(route !== undefined && { 'http.route': route }),
          'client.address': request.ip,
          'custos.api': api,
          'custos.operation': operation,
          'custos.request_id': request.id,
        },
      });
      spans.set(request, span);
      done();
    });
    app.addHook('onError', (request, _reply, error, done) => {
      // The code, never the message: messages may name keys or aliases.
      spans.get(request)?.setAttribute('custos.error_code', errorCodeOf(error));
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      const span = spans.get(request);
      if (span !== undefined) {
        span.setAttribute('http.response.status_code', reply.statusCode);
        // Named by the handler, for routes that serve several operations.
        if (request.operationName !== undefined) {
          span.setAttribute('custos.operation', request.operationName);
        }
        // OpenTelemetry HTTP conventions: a server span fails on 5xx only;
        // a 4xx is the client's error and the span itself went fine.
        if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        spans.delete(request);
      }
      done();
    });
    app.addHook('onRequestAbort', (request, done) => {
      const span = spans.get(request);
      if (span !== undefined) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'client aborted' });
        span.end();
        spans.delete(request);
      }
      done();
    });
    return Promise.resolve();
  },
);
