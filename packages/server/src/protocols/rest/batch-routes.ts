import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { RequestContext } from '../../service/context.js';
import { aliasOperations } from './aliases-routes.js';
import { cryptoOperations } from './crypto-routes.js';
import { dataKeyOperations } from './data-key-routes.js';
import { importOperations } from './import-routes.js';
import { keyOperations } from './keys-routes.js';
import { lifecycleOperations } from './lifecycle-routes.js';
import type { AnyJsonOperation } from './operation.js';
import { problemJson, reportProblem } from './problem.js';
import { defineRoute, type RestRoute } from './route.js';
import { signingOperations } from './signing-routes.js';
import { invalidInput } from './validation.js';

export const MAX_BATCH_ITEMS = 100;

/** Every key operation by its service function name. */
export const BATCH_OPERATIONS: ReadonlyMap<string, AnyJsonOperation> = new Map(
  [
    ...keyOperations,
    ...lifecycleOperations,
    ...aliasOperations,
    ...cryptoOperations,
    ...dataKeyOperations,
    ...signingOperations,
    ...importOperations,
  ].map((op) => [op.name, op]),
);

const batchItem = z.strictObject({
  id: z.string().max(128).optional().meta({ description: 'Echoed in the result' }),
  operation: z.string().max(64).meta({ description: 'Service operation name, e.g. encrypt' }),
  input: z.unknown().optional().meta({ description: "The operation's input; keys as keyId" }),
});

const batchResult = z.strictObject({
  id: z.string().optional(),
  status: z.number().int(),
  output: z.unknown().optional(),
  error: problemJson.optional(),
});
type BatchResult = z.infer<typeof batchResult>;

/** The item's id, if it has a usable one, even when the rest of the item is malformed. */
function itemId(raw: unknown): { id?: string } {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return {};
  return typeof raw.id === 'string' && raw.id.length <= 128 ? { id: raw.id } : {};
}

async function runItem(
  raw: unknown,
  ctx: RequestContext,
  request: FastifyRequest,
): Promise<BatchResult> {
  const id = itemId(raw);
  try {
    const envelope = batchItem.safeParse(raw);
    if (!envelope.success) throw invalidInput(envelope.error, 'item');
    const item = envelope.data;
    const op = BATCH_OPERATIONS.get(item.operation);
    if (op === undefined) {
      throw new InvalidInputError(`operation: unknown operation`, {
        details: { field: 'operation' },
      });
    }
    const parsed = op.input.safeParse(item.input ?? {});
    if (!parsed.success) throw invalidInput(parsed.error, 'input');
    const output = await op.run(ctx, parsed.data);
    if (op.output === undefined) return { ...id, status: 204 };
    return { ...id, status: op.status ?? 200, output };
  } catch (error) {
    const problem = reportProblem(error, request);
    return { ...id, status: problem.status, error: problem };
  }
}

/**
 * Items run one after another, in order, so a later item sees what an earlier
 * one did (create a key, then encrypt under it); a failing item stops nothing.
 */
export const batchRoute: RestRoute = defineRoute({
  method: 'POST',
  path: '/batch',
  operationId: 'batch',
  summary: `Run up to ${String(MAX_BATCH_ITEMS)} operations, each with its own result`,
  tag: 'Batch',
  // Items are checked one by one in runItem, so one malformed item fails alone.
  body: z.strictObject({ operations: z.array(z.unknown()).min(1).max(MAX_BATCH_ITEMS) }),
  documentedBody: z
    .strictObject({ operations: z.array(batchItem).min(1).max(MAX_BATCH_ITEMS) })
    .meta({ id: 'BatchRequest' }),
  response: z.strictObject({ results: z.array(batchResult) }),
  handler: async ({ body, ctx, request }) => {
    const results: BatchResult[] = [];
    for (const item of body.operations) results.push(await runItem(item, ctx, request));
    return { results };
  },
});
