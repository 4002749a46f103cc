import { sharedPlugin } from '../../ops/shared-plugin.js';

/**
 * Every response carries `X-Request-Id` (the id in the server's log lines and
 * problem documents), and each completed request is one debug log line:
 * method, path without the query, status, duration, principal. Never headers
 * or bodies. At info level nothing is built at all: on the encrypt path a log
 * line costs as much as the AES-GCM it reports on.
 */
const VERBOSE = new Set(['debug', 'trace']);

export const requestLog = sharedPlugin('custos-request-log', (app) => {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (VERBOSE.has(request.log.level)) {
      request.log.debug(
        {
          method: request.method,
          path: request.url.split('?')[0],
          statusCode: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 100) / 100,
          principal: request.principal?.id ?? 'anonymous',
        },
        'request completed',
      );
    }
    done();
  });
  return Promise.resolve();
});
