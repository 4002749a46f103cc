import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { isKmsError } from '../../core/errors.js';
import { VAULT_STATUS, vaultMessage } from './errors.js';

/** Largest batch_input accepted in one request. */
export const MAX_BATCH_ITEMS = 1000;

/**
 * How a path answers a batch with failed items. `status`: as openbao's
 * batchRequestResponse (encrypt, decrypt): 400 for any caller error, else
 * 500 for internal ones. `ok`: as openbao's rewrap, sign, verify and hmac,
 * which answer 200 and leave the errors to the items.
 */
export type FailedItemsStyle = 'status' | 'ok';

export interface BatchOptions {
  readonly style: FailedItemsStyle;
  /** `partial_failure_response_code`, when the request has one. */
  readonly partialFailureCode?: number | undefined;
}

/**
 * Runs each item on its own: one bad item does not fail the others, the
 * body still `{"data": {"batch_results": [...]}}` with `error` on the
 * failed items. Anything that is not about an item (sealed, denied) fails
 * the request.
 */
export async function runBatch<I>(
  items: readonly I[],
  run: (item: I) => Promise<Record<string, unknown>>,
  options: BatchOptions,
): Promise<BatchOutcome> {
  const results: Record<string, unknown>[] = [];
  let userError = false;
  let internalError = false;
  let successes = false;
  for (const item of items) {
    try {
      results.push(await run(item));
      successes = true;
    } catch (error) {
      if (!isKmsError(error)) throw error;
      const status = VAULT_STATUS[error.code];
      if (status === 403 || status === 503 || status === 429) throw error;
      if (status >= 500) internalError = true;
      else userError = true;
      results.push({ error: vaultMessage(error), ...reference(item) });
    }
  }
  if (!userError && !internalError) return { results, status: 200 };
  const { style, partialFailureCode } = options;
  // Where openbao answers 200, the override alone asks for Vault's encrypt rule.
  if (style === 'ok' && partialFailureCode === undefined) return { results, status: 200 };
  const status = userError ? 400 : 500;
  return { results, ...partialFailureStatus(status, successes, partialFailureCode) };
}

export interface BatchOutcome {
  readonly results: Record<string, unknown>[];
  readonly status: number;
  /** Vault's `warnings` of the response, when the override was refused. */
  readonly warnings?: string[];
}

/**
 * `partial_failure_response_code` (openbao batchRequestResponse): the status
 * of a batch where some items failed and some succeeded, instead of 400/500.
 * A batch where every item failed keeps its status. A code outside 1–599 is
 * ignored with Vault's warning rather than refused.
 */
function partialFailureStatus(
  status: number,
  successes: boolean,
  requested: number | undefined,
): { status: number; warnings?: string[] } {
  if (requested === undefined || !successes) return { status };
  if (requested < 1 || requested > 599) {
    return {
      status,
      warnings: [
        `invalid HTTP response code override from partial_failure_response_code, reverting to ${String(status)}`,
      ],
    };
  }
  return { status: requested };
}

/**
 * The field as Vault's TypeInt reads it: a JSON integer or a decimal string,
 * signs allowed (so that an out-of-range code reaches the warning above).
 */
export const partialFailureCode = z
  .union([
    z.int(),
    z
      .string()
      .regex(/^[-+]?\d{1,9}$/)
      .transform(Number),
  ])
  .optional();

/** Vault echoes each item's `reference` back in its result. */
export function reference(item: unknown): { reference?: string } {
  if (typeof item !== 'object' || item === null || !('reference' in item)) return {};
  return typeof item.reference === 'string' ? { reference: item.reference } : {};
}

/** Sends a batch or single result in Vault's envelope with its status. */
export function sendResult(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).send(body);
}
