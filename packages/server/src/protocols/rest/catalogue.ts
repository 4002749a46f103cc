import type { RouteDoc } from './route.js';

/** A route as registered: its full path (prefix included) and its description. */
export interface CataloguedRoute {
  readonly fullPath: string;
  readonly doc: RouteDoc;
}

/**
 * The routes a restApi scope has registered, in order. The OpenAPI document
 * and /docs are rendered from it, so they list exactly what is mounted.
 */
export class RouteCatalogue {
  readonly #routes = new Map<string, CataloguedRoute>();

  add(prefix: string, doc: RouteDoc): void {
    const fullPath = `${prefix}${doc.path}`;
    this.#routes.set(`${doc.method} ${fullPath}`, { fullPath, doc });
  }

  routes(): readonly CataloguedRoute[] {
    return [...this.#routes.values()];
  }
}
