import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { RequestContext } from '../../service/context.js';
import { requestContext } from '../http/request-context.js';
import { parseInput } from './validation.js';
import type { RouteCatalogue } from './catalogue.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A route kept for compatibility. RFC 9745 makes `Deprecation` a date (when it
 * became deprecated), RFC 8594 `Sunset` the date it stops answering.
 */
export interface Deprecation {
  readonly since: Date;
  readonly sunset: Date;
  /** Where to read about the replacement (sent as `Link: <…>; rel="deprecation"`). */
  readonly link?: string;
}

/** What a handler receives: validated input and the service context. */
export interface RouteCall<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly ctx: RequestContext;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RouteDefinition<P, Q, B, R> {
  readonly method: HttpMethod;
  /** Fastify path relative to the plugin prefix, e.g. `/keys/:key/encrypt`. */
  readonly path: string;
  /** OpenAPI operationId; for key operations, the service function name. */
  readonly operationId: string;
  readonly summary: string;
  /** OpenAPI tag the /docs page groups by. */
  readonly tag: string;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  /** Without a body schema the route accepts no body but an empty object. */
  readonly body?: z.ZodType<B>;
  /** The body as documented, when validation is deliberately looser (batch items). */
  readonly documentedBody?: z.ZodType;
  /** Schema of the success body; omit for 204 No Content. */
  readonly response?: z.ZodType<R>;
  /** Default 200 with a response schema, 204 without. */
  readonly status?: 200 | 201 | 202;
  readonly deprecated?: Deprecation;
  /** Bytes; overrides the server's body limit for routes that take large bodies. */
  readonly bodyLimit?: number;
  readonly handler: (call: RouteCall<P, Q, B>) => Promise<R>;
}

/** The schema-level description of a route, as the OpenAPI generator reads it. */
export interface RouteDoc {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response?: z.ZodType;
  readonly status: number;
  readonly deprecated?: Deprecation;
}

/** A declared route: its documentation and how to mount it. */
export interface RestRoute {
  readonly doc: RouteDoc;
  install(app: FastifyInstance, options: RegisterOptions): void;
}

export interface RegisterOptions {
  /** Validate every success body against its schema (tests keep the docs true). */
  readonly checkResponses?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Routes registered in this scope, for the OpenAPI document (set by restApi). */
    restCatalogue: RouteCatalogue;
  }
}

function deprecationHeaders(deprecation: Deprecation): Record<string, string> {
  const headers: Record<string, string> = {
    deprecation: `@${Math.floor(deprecation.since.getTime() / 1000)}`,
    sunset: deprecation.sunset.toUTCString(),
  };
  if (deprecation.link !== undefined) headers.link = `<${deprecation.link}>; rel="deprecation"`;
  return headers;
}

/** An absent or `{}` body for routes that declare none; anything else is refused. */
function assertNoBody(value: unknown): void {
  const empty =
    value === undefined ||
    value === null ||
    (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
  if (!empty)
    throw new InvalidInputError('body: this route takes no body', { details: { field: 'body' } });
}

/**
 * Declares a route: zod schemas for params, query, body and response; input is
 * validated before the handler runs (failures are INVALID_INPUT naming the
 * field, never the value), and the route is listed in the OpenAPI document.
 *
 * @example
 * export const describeKeyRoute = defineRoute({
 *   method: 'GET', path: '/keys/:key', operationId: 'describeKey', summary: 'Describe a key',
 *   tag: 'Keys', params: keyParams, response: keyViewJson,
 *   handler: async ({ params, ctx }) => renderKeyView(await describeKey(ctx, { keyId: params.key })),
 * });
 * registerRoutes(app, [describeKeyRoute]);
 */
export function defineRoute<P = undefined, Q = undefined, B = undefined, R = undefined>(
  def: RouteDefinition<P, Q, B, R>,
): RestRoute {
  const status = def.response === undefined ? 204 : (def.status ?? 200);
  const body = def.documentedBody ?? def.body;
  const doc: RouteDoc = { ...def, ...(body === undefined ? {} : { body }), status };
  const headers = def.deprecated === undefined ? undefined : deprecationHeaders(def.deprecated);
  return {
    doc,
    install(app, options) {
      app.route({
        method: def.method,
        url: def.path,
        // Labels for request metrics and trace spans (ops/request-metrics.ts).
        config: { api: 'rest', operation: def.operationId },
        ...(def.bodyLimit === undefined ? {} : { bodyLimit: def.bodyLimit }),
        handler: async (request, reply) => {
          if (headers !== undefined) reply.headers(headers);
          const params = parseInput(def.params, request.params, 'params') as P;
          const query = parseInput(def.query, request.query, 'query') as Q;
          if (def.body === undefined) assertNoBody(request.body);
          const body = parseInput(def.body, request.body ?? {}, 'body') as B;
          const ctx = requestContext(request);
          const output = await def.handler({ params, query, body, ctx, request, reply });
          if (def.response === undefined) return reply.code(204).send();
          if (options.checkResponses === true) def.response.parse(output);
          return reply.code(status).send(output);
        },
      });
    },
  };
}

/**
 * Mounts routes on a Fastify scope and lists them in the scope's catalogue
 * (when restApi provided one) so the OpenAPI document and /docs show them.
 */
export function registerRoutes(
  app: FastifyInstance,
  routes: readonly RestRoute[],
  options: RegisterOptions = {},
): void {
  const catalogue = app.hasDecorator('restCatalogue') ? app.restCatalogue : undefined;
  for (const route of routes) {
    route.install(app, options);
    catalogue?.add(app.prefix, route.doc);
  }
}
