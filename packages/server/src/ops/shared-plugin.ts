import type { FastifyPluginAsync, FastifyPluginOptions } from 'fastify';

/**
 * Marks a plugin as not encapsulated, as fastify-plugin does, without the
 * dependency: its hooks and decorators apply to the scope that registers it
 * (and that scope's children) instead of to a private child scope, so a
 * server registers a cross-cutting plugin once at the root.
 *
 * @example
 * export const requestMetrics = sharedPlugin('custos-request-metrics', async (app, opts) => { … });
 */
export function sharedPlugin<O extends FastifyPluginOptions>(
  name: string,
  plugin: FastifyPluginAsync<O>,
): FastifyPluginAsync<O> {
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: name,
  });
}
