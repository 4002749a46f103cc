import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { policyDocumentSchema } from '../../authz/policy-schema.js';
import { InvalidInputError } from '../../core/errors.js';
import { deletePolicy, getPolicy, listPolicies, putPolicy } from '../../service/identity/index.js';
import { policySummaryJson, renderPolicy, renderPolicySummary } from './identity-json.js';
import { isoDate, pageCursor, pageLimit } from './json.js';
import { defineRoute, type RestRoute } from './route.js';

const POLICIES = 'Policies';
const nameParams = z.strictObject({ name: z.string().min(1).max(128) });
const pageQuery = z.strictObject({ limit: pageLimit, cursor: pageCursor });
const policyDocumentJson = policyDocumentSchema.meta({
  id: 'PolicyDocument',
  description: 'docs/policies.md',
});
const policyJson = z
  .strictObject({
    name: z.string(),
    document: policyDocumentJson,
    rowVersion: z.number().int(),
    updatedAt: isoDate,
  })
  .meta({ id: 'Policy' });

/**
 * `If-Match: "3"` (or `3`, or a weak `W/"3"`): the policy row version the
 * caller read (its ETag). Absent: no precondition.
 */
function ifMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = typeof header === 'string' ? /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header) : null;
  if (match?.[1] === undefined) {
    throw new InvalidInputError('If-Match must be a policy ETag such as "3"', {
      details: { field: 'headers.if-match' },
    });
  }
  return Number(match[1]);
}

/** `/policies` and `/policies/{name}`; a policy's ETag is its row version. */
export const policyRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/policies',
    operationId: 'listPolicies',
    summary: 'List policy names, a page at a time',
    tag: POLICIES,
    query: pageQuery,
    response: z.strictObject({
      policies: z.array(policySummaryJson),
      nextCursor: z.string().nullable(),
    }),
    handler: async ({ ctx, query }) => {
      const out = await listPolicies(ctx, query);
      return { policies: out.policies.map(renderPolicySummary), nextCursor: out.nextCursor };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/policies/:name',
    operationId: 'getPolicy',
    summary: 'Read a policy document (ETag: its row version)',
    tag: POLICIES,
    params: nameParams,
    response: policyJson,
    handler: async ({ ctx, params, reply }) => {
      const view = await getPolicy(ctx, params);
      reply.header('etag', `"${String(view.rowVersion)}"`);
      return renderPolicy(view);
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/policies/:name',
    operationId: 'putPolicy',
    summary: 'Create or replace a policy (If-Match: the ETag read, to refuse lost updates)',
    tag: POLICIES,
    params: nameParams,
    // The service validates the document again; the schema here documents it
    // and names the first bad field in the error.
    body: policyDocumentJson,
    response: policyJson.extend({ created: z.boolean() }),
    handler: async ({ ctx, params, body, request, reply }) => {
      const rowVersion = ifMatch(request);
      const out = await putPolicy(ctx, {
        name: params.name,
        document: body,
        ...(rowVersion !== undefined && { rowVersion }),
      });
      reply.header('etag', `"${String(out.rowVersion)}"`);
      return { ...renderPolicy(out), created: out.created };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/policies/:name',
    operationId: 'deletePolicy',
    summary: 'Delete a policy (If-Match: the ETag read)',
    tag: POLICIES,
    params: nameParams,
    handler: ({ ctx, params, request }) => {
      const rowVersion = ifMatch(request);
      return deletePolicy(ctx, {
        name: params.name,
        ...(rowVersion !== undefined && { rowVersion }),
      });
    },
  }),
];
