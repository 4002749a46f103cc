import { z } from 'zod';
import { createAlias, deleteAlias, listAliases, updateAlias } from '../../service/index.js';
import { isoDate, keyRef, pageCursor, pageLimit } from './json.js';
import { jsonOperation, operationRoute, type AnyJsonOperation } from './operation.js';
import type { RestRoute } from './route.js';

const TAG = 'Aliases';
const aliasName = z
  .string()
  .min(1)
  .max(256)
  .meta({ description: 'alias/name (in a path: alias%2Fname)' });
const aliasParams = z.strictObject({ alias: aliasName });

const aliasJson = z
  .strictObject({ name: z.string(), keyId: z.uuid(), createdAt: isoDate, updatedAt: isoDate })
  .meta({ id: 'Alias' });

const listAliasesQuery = z.strictObject({
  keyId: keyRef.optional(),
  limit: pageLimit,
  cursor: pageCursor,
});

export const listAliasesOperation = jsonOperation({
  name: 'listAliases',
  summary: 'List aliases, a page at a time',
  tag: TAG,
  input: listAliasesQuery,
  output: z.strictObject({ aliases: z.array(aliasJson), nextCursor: z.string().nullable() }),
  run: async (ctx, input) => {
    const out = await listAliases(ctx, input);
    return {
      aliases: out.aliases.map((a) => ({
        name: a.name,
        keyId: a.keyId,
        createdAt: a.createdAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
      })),
      nextCursor: out.nextCursor,
    };
  },
});

const aliasTarget = z.strictObject({ alias: aliasName, keyId: keyRef });

export const createAliasOperation = jsonOperation({
  name: 'createAlias',
  summary: 'Create an alias for a key',
  tag: TAG,
  input: aliasTarget,
  run: (ctx, input) => createAlias(ctx, input),
});

export const updateAliasOperation = jsonOperation({
  name: 'updateAlias',
  summary: 'Point an alias at another key',
  tag: TAG,
  input: aliasTarget,
  run: (ctx, input) => updateAlias(ctx, input),
});

export const deleteAliasOperation = jsonOperation({
  name: 'deleteAlias',
  summary: 'Delete an alias (the key stays)',
  tag: TAG,
  input: z.strictObject({ alias: aliasName }),
  run: (ctx, input) => deleteAlias(ctx, input),
});

export const aliasOperations: readonly AnyJsonOperation[] = [
  listAliasesOperation,
  createAliasOperation,
  updateAliasOperation,
  deleteAliasOperation,
];

export const aliasRoutes: readonly RestRoute[] = [
  operationRoute({
    method: 'GET',
    path: '/aliases',
    operation: listAliasesOperation,
    query: listAliasesQuery,
    toInput: ({ query }) => query,
  }),
  operationRoute({
    method: 'POST',
    path: '/aliases',
    operation: createAliasOperation,
    body: aliasTarget,
    toInput: ({ body }) => body,
  }),
  operationRoute({
    method: 'PUT',
    path: '/aliases/:alias',
    operation: updateAliasOperation,
    params: aliasParams,
    body: z.strictObject({ keyId: keyRef }),
    toInput: ({ params, body }) => ({ alias: params.alias, keyId: body.keyId }),
  }),
  operationRoute({
    method: 'DELETE',
    path: '/aliases/:alias',
    operation: deleteAliasOperation,
    params: aliasParams,
    toInput: ({ params }) => params,
  }),
];
