import type { FastifyPluginAsync } from 'fastify';
import type { RouteCatalogue } from './catalogue.js';
import { renderDocsPage } from './docs-page.js';
import { openApiDocument, type OpenApiDocument } from './openapi.js';

export interface DocsRoutesOptions {
  readonly catalogue: RouteCatalogue;
  /** The API prefix the catalogued routes live under, e.g. `/api/v1`. */
  readonly apiPrefix: string;
  /** Serve `GET /openapi.json` in this scope (restApi does; a root /docs page does not). */
  readonly serveDocument?: boolean;
}

/**
 * GET /openapi.json and GET /docs for a catalogue. The document is built on
 * first request, when every route has been registered, and then kept.
 */
export const docsRoutes: FastifyPluginAsync<DocsRoutesOptions> = (app, options) => {
  let cached: { doc: OpenApiDocument; html: string; routes: number } | undefined;
  const openApiUrl = `${options.apiPrefix}/openapi.json`;
  const current = () => {
    const routes = options.catalogue.routes();
    if (cached?.routes !== routes.length) {
      const doc = openApiDocument(routes, options.apiPrefix);
      cached = { doc, html: renderDocsPage(doc, openApiUrl), routes: routes.length };
    }
    return cached;
  };
  if (options.serveDocument !== false) {
    app.get('/openapi.json', (_request, reply) => reply.send(current().doc));
  }
  app.get('/docs', (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(current().html),
  );
  return Promise.resolve();
};
