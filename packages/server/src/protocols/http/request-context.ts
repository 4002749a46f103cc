import type { FastifyRequest } from 'fastify';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../core/principal.js';
import type { Kms, RequestContext } from '../../service/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook; anonymous until then. */
    principal?: Principal;
  }
  interface FastifyInstance {
    /** The service every door calls. */
    kms: Kms;
  }
}

/**
 * The service context of an HTTP request: who (from the authentication hook),
 * which request id, from which address. Every door's handlers build their
 * RequestContext here and nowhere else.
 */
export function requestContext(request: FastifyRequest): RequestContext {
  return {
    kms: request.server.kms,
    principal: request.principal ?? ANONYMOUS_PRINCIPAL,
    requestId: request.id,
    sourceAddress: request.ip,
    // The native REST API; the Vault and AWS doors name themselves over this.
    door: 'rest',
    ...(request.replayProtected === true && { replayProtected: true }),
  };
}
