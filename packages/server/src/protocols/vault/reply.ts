import type { FastifyRequest } from 'fastify';

/**
 * Vault's response envelope (api docs, "Responses"): the payload under
 * `data`, and the lease and wrapping fields clients expect to find.
 */
export function vaultResponse(
  request: FastifyRequest,
  data: unknown,
  warnings: readonly string[] | null = null,
) {
  return {
    request_id: request.id,
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings,
    auth: null,
  };
}
