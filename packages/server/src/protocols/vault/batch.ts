import type { FastifyReply } from 'fastify';
import { isKmsError } from '../../core/errors.js';
import { VAULT_STATUS, vaultMessage } from './errors.js';

/** Largest batch_input accepted in one request. */
export const MAX_BATCH_ITEMS = 1000;

/**
 * Runs each item on its own: one bad item does not fail the others. As
 * openbao's batchRequestResponse (path_encrypt.go): 200 when all succeed,
 * else 400 (any caller error) or 500 (only internal ones), the body still
 * `{"data": {"batch_results": [...]}}` with `error` on the failed items.
 * Anything that is not about an item (sealed, denied) fails the request.
 */
export async function runBatch<I>(
  items: readonly I[],
  run: (item: I) => Promise<Record<string, unknown>>,
): Promise<{ results: Record<string, unknown>[]; status: number }> {
  const results: Record<string, unknown>[] = [];
  let userError = false;
  let internalError = false;
  for (const item of items) {
    try {
      results.push(await run(item));
    } catch (error) {
      if (!isKmsError(error)) throw error;
      const status = VAULT_STATUS[error.code];
      if (status === 403 || status === 503 || status === 429) throw error;
      if (status >= 500) internalError = true;
      else userError = true;
      results.push({ error: vaultMessage(error), ...reference(item) });
    }
  }
  const status = userError ? 400 : internalError ? 500 : 200;
  return { results, status };
}

/** Vault echoes each item's `reference` back in its result. */
export function reference(item: unknown): { reference?: string } {
  if (typeof item !== 'object' || item === null || !('reference' in item)) return {};
  return typeof item.reference === 'string' ? { reference: item.reference } : {};
}

/** Sends a batch or single result in Vault's envelope with its status. */
export function sendResult(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).send(body);
}
