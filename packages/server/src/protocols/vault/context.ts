import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../service/context.js';
import { requestContext } from '../http/request-context.js';

/** The service context of a Vault request: audited as the `vault` door. */
export function vaultContext(request: FastifyRequest): RequestContext {
  return { ...requestContext(request), door: 'vault' };
}
