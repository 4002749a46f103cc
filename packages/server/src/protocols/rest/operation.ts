import type { z } from 'zod';
import type { RequestContext } from '../../service/context.js';
import { defineRoute, type Deprecation, type HttpMethod, type RestRoute } from './route.js';
import { keyParams } from './json.js';

/**
 * A service operation in JSON: the input as a batch item sends it (bytes in
 * base64, `keyId` for the key), the JSON it answers, and how to run it. REST
 * routes and POST /batch both call `run`, so the two cannot drift apart.
 */
export interface JsonOperation<I, O> {
  /** The service function name; batch items name operations by it. */
  readonly name: string;
  readonly summary: string;
  readonly tag: string;
  readonly input: z.ZodType<I>;
  /** Absent for operations that answer nothing (204 No Content). */
  readonly output?: z.ZodType<O>;
  /** 201 for operations that create a resource; default 200 (204 without output). */
  readonly status?: 201;
  run(ctx: RequestContext, input: I): Promise<O>;
}

/** Any operation, as the batch table holds them. */
export type AnyJsonOperation = JsonOperation<unknown, unknown>;

export function jsonOperation<I, O>(op: JsonOperation<I, O>): JsonOperation<I, O> {
  return op;
}

interface OperationRouteOptions<P, Q, B, I, O> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operation: JsonOperation<I, O>;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  /** How the route's params, query and body make the operation's input. */
  readonly toInput: (parts: { params: P; query: Q; body: B }) => I;
  /** For a second route to the same operation (a deprecated alias). */
  readonly operationId?: string;
  readonly deprecated?: Deprecation;
  readonly bodyLimit?: number;
}

/** A REST route that runs a JSON operation. */
export function operationRoute<P, Q, B, I, O>(
  options: OperationRouteOptions<P, Q, B, I, O>,
): RestRoute {
  const { operation, toInput } = options;
  return defineRoute<P, Q, B, O>({
    method: options.method,
    path: options.path,
    operationId: options.operationId ?? operation.name,
    summary: operation.summary,
    tag: operation.tag,
    ...(options.params === undefined ? {} : { params: options.params }),
    ...(options.query === undefined ? {} : { query: options.query }),
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(operation.output === undefined ? {} : { response: operation.output }),
    ...(operation.status === undefined ? {} : { status: operation.status }),
    ...(options.deprecated === undefined ? {} : { deprecated: options.deprecated }),
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    handler: ({ params, query, body, ctx }) => operation.run(ctx, toInput({ params, query, body })),
  });
}

/**
 * `METHOD /keys/:key/…` with an optional JSON body: the operation's input is
 * the body plus `keyId` from the path.
 *
 * @example
 * keyRoute('POST', '/keys/:key/encrypt', encryptOperation, encryptBody)
 */
export function keyRoute<B extends object, O>(
  method: HttpMethod,
  path: string,
  operation: JsonOperation<B & { keyId: string }, O>,
  body?: z.ZodType<B>,
  extra: Pick<
    OperationRouteOptions<unknown, unknown, B, unknown, O>,
    'operationId' | 'deprecated'
  > = {},
): RestRoute {
  return operationRoute({
    method,
    path,
    operation,
    params: keyParams,
    ...(body === undefined ? {} : { body }),
    ...extra,
    // Without a body schema there is no body: `parsed` is undefined at run time.
    // Object.assign rather than a spread: every key route shares this line, and
    // a spread here gave each request's input a hidden class of its own (see
    // audited.ts), so every read of it in the service missed its inline cache.
    toInput: ({ params, body: parsed }) =>
      Object.assign({}, parsed as B | undefined, { keyId: params.key }),
  });
}
