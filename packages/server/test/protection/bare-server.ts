import Fastify, { type FastifyInstance } from 'fastify';
import {
  AccessDeniedError,
  UnauthenticatedError,
  isKmsError,
  type ErrorCode,
} from '../../src/core/errors.js';
import type { Principal } from '../../src/core/principal.js';
import '../../src/protocols/http/request-context.js';

/** Enough of the REST error mapping for plugin tests on a bare Fastify. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  ACCESS_DENIED: 403,
  THROTTLED: 429,
};

export const TOKENS: Record<string, Principal> = {
  'token-alice': { id: 'user/alice', kind: 'user', policies: [] },
  'token-bob': { id: 'user/bob', kind: 'user', policies: ['strict'] },
};

/**
 * A bare Fastify with a token lookup in onRequest (so `request.principal` is
 * set before preHandler) and problem+json errors; `setup` registers the
 * plugins under test before the authentication hook is added.
 */
export async function bareServer(
  setup: (app: FastifyInstance) => PromiseLike<unknown>,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await setup(app);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization ?? '';
    const principal = TOKENS[header.replace(/^Bearer /, '')];
    if (principal === undefined) throw new UnauthenticatedError('no valid credential');
    request.principal = principal;
    return Promise.resolve();
  });
  app.setErrorHandler((error, _request, reply) => {
    const code: ErrorCode = isKmsError(error) ? error.code : 'INTERNAL';
    return reply
      .code(STATUS[code] ?? 500)
      .type('application/problem+json')
      .send({ code, detail: isKmsError(error) ? error.message : 'internal', ...details(error) });
  });
  app.post('/echo', () => ({ ok: true }));
  app.get('/forbidden', () => {
    throw new AccessDeniedError('no');
  });
  return app;
}

function details(error: unknown): Record<string, unknown> {
  return isKmsError(error) ? { ...error.details } : {};
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
