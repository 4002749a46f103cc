import { randomUUID } from 'node:crypto';
import { fastify, LogController, type FastifyInstance } from 'fastify';
import { NotFoundError } from '../../core/errors.js';
import type { Logger } from '../../ops/logger.js';
import type { Kms } from '../../service/context.js';
import { healthRoutes, type HealthRoutesOptions } from '../health/health-routes.js';
import { API_VERSION } from '../rest/index.js';
import { restErrorHandler } from '../rest/problem.js';
import { authentication, type Authenticator } from './authenticate.js';
import { requestLog } from './request-log.js';
import { requestLoggerFactory } from './request-logger.js';
import './request-context.js';

/**
 * Registers something on a scope: `async (app) => { await app.register(plugin, opts) }`.
 * app.ts builds these lists, so adding a plugin to the server is one line there.
 */
export type Mount = (app: FastifyInstance) => Promise<void>;

/** PEM material for an HTTPS listener, read by the composition root. */
export interface HttpsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Client CA bundle: asks clients for a certificate (mTLS). */
  readonly clientCa?: Buffer;
  /** Refuse the TLS handshake without a certificate that chains to clientCa. */
  readonly requireClientCert: boolean;
}

export interface HttpServerOptions {
  readonly kms: Kms;
  readonly logger: Logger;
  readonly limits: {
    readonly bodyBytes: number;
    readonly requestTimeoutMs: number;
    readonly connectionTimeoutMs: number;
  };
  readonly tls?: HttpsMaterial | undefined;
  readonly authenticator: Authenticator;
  readonly health: HealthRoutesOptions;
  /**
   * Cross-cutting plugins (throttles, metrics, tracing), registered at the
   * root in order, before the authentication hook: their onRequest hooks run
   * first, so a throttled address never reaches a credential lookup.
   */
  readonly protection?: readonly Mount[];
  /** Mounted under `/api/v1`, whose errors are problem+json (restApi, identity, sys). */
  readonly api?: readonly Mount[];
  /** Other doors at the root (AWS KMS, Vault, KMIP JSON, /metrics). */
  readonly doors?: readonly Mount[];
}

/**
 * The one HTTP(S) listener of DESIGN.md, built but not listening: Fastify
 * with UUID request ids, the process logger, body and time limits, the
 * authentication hook, the probes, `/api/v1` and the other doors.
 *
 * @example
 * const app = await createHttpServer({ kms, logger, limits, authenticator, health, api });
 * await app.listen({ host: '127.0.0.1', port: 8200 });
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = fastify({
    loggerInstance: options.logger,
    childLoggerFactory: requestLoggerFactory(options.logger),
    genReqId: () => randomUUID(),
    // A client-chosen id could forge or collide with another request's log lines.
    requestIdHeader: false,
    // One debug line per request from requestLog instead of two info lines.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: true,
    }),
    bodyLimit: options.limits.bodyBytes,
    requestTimeout: options.limits.requestTimeoutMs,
    connectionTimeout: options.limits.connectionTimeoutMs,
    // Shutdown closes idle keep-alive sockets at once and answers 503 on busy ones.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    ...(options.tls !== undefined && { https: httpsOptions(options.tls) }),
    // The https variant of Fastify's type differs only in the raw server class;
    // every plugin here is written against the default one.
  }) as unknown as FastifyInstance;

  app.decorate('kms', options.kms);
  app.setErrorHandler(restErrorHandler);
  app.setNotFoundHandler((request) => {
    throw new NotFoundError(`no route ${request.method} ${request.url.split('?')[0] ?? ''}`);
  });
  await app.register(requestLog);
  for (const mount of options.protection ?? []) await mount(app);
  await app.register(authentication, { authenticator: options.authenticator });
  await app.register(healthRoutes, options.health);
  await app.register(
    async (api) => {
      // Every /api/v1 answer names its version, errors and routes outside restApi included.
      api.addHook('onRequest', (_request, reply, done) => {
        reply.header('api-version', API_VERSION);
        done();
      });
      for (const mount of options.api ?? []) await mount(api);
    },
    { prefix: '/api/v1' },
  );
  for (const mount of options.doors ?? []) await mount(app);
  return app;
}

function httpsOptions(tls: HttpsMaterial) {
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: 'TLSv1.2' as const,
    ...(tls.clientCa !== undefined && {
      ca: tls.clientCa,
      requestCert: true,
      // Without requireClientCert a client may still connect without (or with
      // an unverified) certificate; the authentication hook then ignores it.
      rejectUnauthorized: tls.requireClientCert,
    }),
  };
}
