import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isKmsError, type ErrorCode, type KmsError } from '../../core/errors.js';

/**
 * Vault's HTTP status for each Custos error code (Vault API docs, "HTTP
 * Status Codes"): 400 for anything the caller got wrong, 403 for every
 * authentication or authorization failure, 503 while sealed.
 */
export const VAULT_STATUS = {
  NOT_FOUND: 404,
  ALREADY_EXISTS: 400,
  INVALID_INPUT: 400,
  INVALID_STATE: 400,
  KEY_DISABLED: 400,
  KEY_PENDING_DELETION: 400,
  KEY_PENDING_IMPORT: 400,
  INVALID_KEY_USAGE: 400,
  UNSUPPORTED: 400,
  INVALID_CIPHERTEXT: 400,
  INVALID_SIGNATURE: 400,
  INVALID_MAC: 400,
  INVALID_IMPORT_TOKEN: 400,
  EXPIRED_IMPORT_TOKEN: 400,
  INCORRECT_KEY_MATERIAL: 400,
  ACCESS_DENIED: 403,
  UNAUTHENTICATED: 403,
  SEALED: 503,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 400,
  THROTTLED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

/**
 * The message a Vault client sees. Vault says only "permission denied" for
 * a missing, invalid or insufficient token, and clients match on it.
 */
export function vaultMessage(error: KmsError): string {
  if (error.code === 'ACCESS_DENIED' || error.code === 'UNAUTHENTICATED') {
    return 'permission denied';
  }
  if (error.code === 'SEALED') return 'Vault is sealed';
  if (error.code === 'INTERNAL') return 'internal error';
  return error.message;
}

/** Fastify's own failures (body parsing, limits) that are the caller's fault. */
function frameworkStatus(error: FastifyError): number {
  const status = error.statusCode ?? 500;
  return status >= 400 && status < 500 ? status : 500;
}

/**
 * The error handler of the /v1 scope: `{"errors": [...]}` with Vault's
 * status. Messages of typed errors are safe by construction (no key
 * material, plaintext or tokens); anything else is "internal error".
 */
export function vaultErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (isKmsError(error)) {
    const status = VAULT_STATUS[error.code];
    if (status === 429) reply.header('retry-after', error.details.retryAfterSeconds ?? 1);
    if (status >= 500) request.log.error({ code: error.code }, 'vault request failed');
    void reply.code(status).send({ errors: [vaultMessage(error)] });
    return;
  }
  const status = frameworkStatus(error);
  if (status === 500) request.log.error({ errorName: error.name }, 'vault request failed');
  void reply.code(status).send({ errors: [status === 500 ? 'internal error' : error.message] });
}
