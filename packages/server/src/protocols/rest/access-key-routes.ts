import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  type AccessKeySummary,
  createAccessKey,
  deleteAccessKey,
  listAccessKeys,
} from '../../service/access-keys/index.js';
import type { RouteCatalogue } from './catalogue.js';
import { defineRoute, type RestRoute } from './route.js';

const TAG = 'Access keys';
const principalId = z.string().min(1).max(512);
const accessKeyJson = z.strictObject({
  accessKeyId: z.string(),
  principal: z.string(),
  createdAt: z.string(),
});

const renderSummary = (key: AccessKeySummary) => ({
  accessKeyId: key.accessKeyId,
  principal: key.principal,
  createdAt: key.createdAt.toISOString(),
});

/** `/access-keys`: SigV4 credentials for the AWS KMS door (docs/aws-kms.md). */
export const ACCESS_KEY_ROUTES: readonly RestRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/access-keys',
    operationId: 'createAccessKey',
    summary: 'Create an access key for the AWS KMS door; the secret is shown once',
    tag: TAG,
    body: z.strictObject({ principal: principalId.optional() }),
    response: z.strictObject({
      accessKeyId: z.string(),
      secretAccessKey: z.string(),
      principal: z.string(),
      createdAt: z.string(),
    }),
    status: 201,
    handler: async ({ ctx, body }) => {
      const out = await createAccessKey(ctx, body);
      return {
        accessKeyId: out.accessKeyId,
        secretAccessKey: out.secretAccessKey,
        principal: out.principal,
        createdAt: out.createdAt.toISOString(),
      };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/access-keys',
    operationId: 'listAccessKeys',
    summary: 'List access keys (never their secrets), all or one principal’s',
    tag: TAG,
    query: z.strictObject({ principal: principalId.optional() }),
    response: z.strictObject({ accessKeys: z.array(accessKeyJson) }),
    handler: async ({ ctx, query }) => ({
      accessKeys: (await listAccessKeys(ctx, query)).map(renderSummary),
    }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/access-keys/:accessKeyId',
    operationId: 'deleteAccessKey',
    summary: 'Delete an access key',
    tag: TAG,
    params: z.strictObject({ accessKeyId: z.string().min(1).max(128) }),
    handler: async ({ ctx, params }) => {
      await deleteAccessKey(ctx, params);
    },
  }),
];

export interface AccessKeyRoutesOptions {
  readonly catalogue?: RouteCatalogue;
}

/**
 * The access-key routes, to register under `/api/v1`.
 *
 * @example
 * await api.register(accessKeyRoutes, { catalogue });
 */
export const accessKeyRoutes: FastifyPluginAsync<AccessKeyRoutesOptions> = (app, options) => {
  for (const route of ACCESS_KEY_ROUTES) {
    route.install(app, {});
    options.catalogue?.add(app.prefix, route.doc);
  }
  return Promise.resolve();
};
