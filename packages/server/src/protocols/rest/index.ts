import type { FastifyPluginAsync } from 'fastify';
import { aliasRoutes } from './aliases-routes.js';
import { batchRoute } from './batch-routes.js';
import { RouteCatalogue } from './catalogue.js';
import { cryptoRoutes } from './crypto-routes.js';
import { dataKeyRoutes } from './data-key-routes.js';
import { docsRoutes } from './docs-routes.js';
import { importRoutes } from './import-routes.js';
import { keyRoutes } from './keys-routes.js';
import { lifecycleRoutes } from './lifecycle-routes.js';
import { NotFoundError } from '../../core/errors.js';
import { restErrorHandler } from './problem.js';
import { registerRoutes, type RestRoute } from './route.js';
import { signingRoutes } from './signing-routes.js';

export { RouteCatalogue } from './catalogue.js';
export { docsRoutes, type DocsRoutesOptions } from './docs-routes.js';
export { REST_ERRORS, restErrorHandler, toProblem, type Problem } from './problem.js';
export { defineRoute, registerRoutes, type RestRoute, type RouteDefinition } from './route.js';

export const API_VERSION = '1';

/** Every key-operation route of the native API, in documentation order. */
export const KEY_API_ROUTES: readonly RestRoute[] = [
  ...keyRoutes,
  ...lifecycleRoutes,
  ...aliasRoutes,
  ...cryptoRoutes,
  ...dataKeyRoutes,
  ...signingRoutes,
  ...importRoutes,
  batchRoute,
];

export interface RestApiOptions {
  /** Shared with a root-level /docs page (docsRoutes); a fresh one by default. */
  readonly catalogue?: RouteCatalogue;
  /** Validate success bodies against their schemas (tests). */
  readonly checkResponses?: boolean;
}

/**
 * The native REST API (docs/rest-api.md), to register under `/api/v1`: every
 * key operation, POST /batch, GET /openapi.json and GET /docs. Every response
 * in this scope carries `API-Version: 1` and errors are problem+json.
 * Other /api/v1 plugins registered inside this scope appear in the OpenAPI
 * document when they use registerRoutes.
 *
 * @example
 * await app.register(restApi, { prefix: '/api/v1' });
 */
export const restApi: FastifyPluginAsync<RestApiOptions> = async (app, options) => {
  const catalogue = options.catalogue ?? new RouteCatalogue();
  app.decorate('restCatalogue', catalogue);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('api-version', API_VERSION);
    done();
  });
  app.setErrorHandler(restErrorHandler);
  app.setNotFoundHandler((request) => {
    throw new NotFoundError(`no route ${request.method} ${request.url.split('?')[0] ?? ''}`);
  });
  registerRoutes(app, KEY_API_ROUTES, { checkResponses: options.checkResponses === true });
  await app.register(docsRoutes, { catalogue, apiPrefix: app.prefix });
};
