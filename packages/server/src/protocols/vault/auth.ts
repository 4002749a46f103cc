import type { FastifyInstance } from 'fastify';
import { UnauthenticatedError } from '../../core/errors.js';
import { authenticateToken } from '../../service/identity/index.js';

/** Longer than any token Custos issues; refused before any lookup. */
const MAX_TOKEN_LENGTH = 1024;

/**
 * `X-Vault-Token` carries a Custos token (Vault clients send nothing else).
 * The server's authentication hook has already read `Authorization: Bearer`
 * and `X-Custos-Token`; this hook runs after it, only in the /v1 scope, and
 * only when no other credential was given. A missing or invalid token is
 * UNAUTHENTICATED (403 "permission denied", as Vault answers).
 */
export function vaultTokenAuth(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true) return;
    if (request.principal?.kind !== 'anonymous') return;
    const header = request.headers['x-vault-token'];
    // Vault serves nothing but its public sys paths without a token.
    if (header === undefined) throw new UnauthenticatedError('no token was presented');
    if (Array.isArray(header)) throw new UnauthenticatedError('more than one X-Vault-Token');
    const token = header.trim();
    if (token === '' || token.length > MAX_TOKEN_LENGTH) {
      throw new UnauthenticatedError('the token is not valid');
    }
    request.principal = await authenticateToken(request.server.kms, token);
  });
}
