import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  createPrincipal,
  createToken,
  deletePrincipal,
  describePrincipal,
  listPrincipals,
  listTokens,
  lookupSelf,
  mapCertificate,
  revokeToken,
  unmapCertificate,
  updatePrincipal,
} from '../../service/identity/index.js';
import type { RouteCatalogue } from './catalogue.js';
import { API_VERSION } from './index.js';
import {
  certificateMappingJson,
  createdTokenJson,
  principalDetailJson,
  principalJson,
  renderCreatedToken,
  renderMapping,
  renderPrincipal,
  renderSelf,
  renderToken,
  selfJson,
  tokenJson,
  ttlJson,
} from './identity-json.js';
import { pageCursor, pageLimit } from './json.js';
import { policyRoutes } from './policy-routes.js';
import { defineRoute, type RestRoute } from './route.js';

const PRINCIPALS = 'Principals';
const TOKENS = 'Tokens';

const principalId = z.string().min(1).max(512).meta({
  description: 'Principal id, e.g. user/alice (in a path: user%2Falice)',
});
const idParams = z.strictObject({ id: principalId });
const pageQuery = z.strictObject({ limit: pageLimit, cursor: pageCursor });
const policyNames = z.array(z.string()).max(50);
export const principalRoutes: RestRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/principals',
    operationId: 'createPrincipal',
    summary: 'Create a principal',
    tag: PRINCIPALS,
    body: z.strictObject({
      id: principalId,
      kind: z.enum(['user', 'service']).optional(),
      policies: policyNames.optional(),
    }),
    response: principalJson,
    status: 201,
    handler: async ({ ctx, body }) => renderPrincipal(await createPrincipal(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    path: '/principals',
    operationId: 'listPrincipals',
    summary: 'List principals, a page at a time',
    tag: PRINCIPALS,
    query: pageQuery,
    response: z.strictObject({
      principals: z.array(principalJson),
      nextCursor: z.string().nullable(),
    }),
    handler: async ({ ctx, query }) => {
      const out = await listPrincipals(ctx, query);
      return { principals: out.principals.map(renderPrincipal), nextCursor: out.nextCursor };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/principals/:id',
    operationId: 'describePrincipal',
    summary: 'Describe a principal and its certificate mappings',
    tag: PRINCIPALS,
    params: idParams,
    response: principalDetailJson,
    handler: async ({ ctx, params }) => {
      const out = await describePrincipal(ctx, params);
      return { ...renderPrincipal(out), certificates: out.certificates.map(renderMapping) };
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/principals/:id',
    operationId: 'updatePrincipal',
    summary: "Change a principal's kind, policies (replaced) or disabled flag",
    tag: PRINCIPALS,
    params: idParams,
    body: z.strictObject({
      kind: z.enum(['user', 'service']).optional(),
      policies: policyNames
        .optional()
        .meta({ description: 'The whole new list; gaining a policy needs custos:AttachPolicy' }),
      disabled: z.boolean().optional(),
    }),
    response: principalJson,
    handler: async ({ ctx, params, body }) =>
      renderPrincipal(await updatePrincipal(ctx, { ...body, id: params.id })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/principals/:id',
    operationId: 'deletePrincipal',
    summary: 'Delete a principal with its tokens and certificate mappings',
    tag: PRINCIPALS,
    params: idParams,
    handler: ({ ctx, params }) => deletePrincipal(ctx, params),
  }),
  defineRoute({
    method: 'POST',
    path: '/principals/:id/certificates',
    operationId: 'mapCertificate',
    summary: 'Map a client certificate (fingerprint or subject) to the principal',
    tag: PRINCIPALS,
    params: idParams,
    body: z.strictObject({
      fingerprint256: z.string().max(128).optional(),
      subject: z.string().max(1024).optional(),
    }),
    response: certificateMappingJson,
    status: 201,
    handler: async ({ ctx, params, body }) =>
      renderMapping(await mapCertificate(ctx, { ...body, principal: params.id })),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/certificates/:match/:value',
    operationId: 'unmapCertificate',
    summary: 'Remove a certificate mapping',
    tag: PRINCIPALS,
    params: z.strictObject({
      match: z.enum(['fingerprint', 'subject']),
      value: z.string().min(1).max(1024),
    }),
    handler: ({ ctx, params }) =>
      unmapCertificate(
        ctx,
        params.match === 'fingerprint'
          ? { fingerprint256: params.value }
          : { subject: params.value },
      ),
  }),
];

export const tokenRoutes: RestRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/tokens',
    operationId: 'createToken',
    summary: 'Issue a token for a principal (the secret is in this response only)',
    tag: TOKENS,
    body: z.strictObject({
      principal: principalId,
      policies: policyNames.optional(),
      ttl: ttlJson.optional(),
      displayName: z.string().max(128).optional(),
    }),
    response: createdTokenJson,
    status: 201,
    handler: async ({ ctx, body }) => renderCreatedToken(await createToken(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    path: '/tokens',
    operationId: 'listTokens',
    summary: 'List tokens (never their secrets), all or one principal’s',
    tag: TOKENS,
    query: z.strictObject({
      principal: principalId.optional(),
      limit: pageLimit,
      cursor: pageCursor,
    }),
    response: z.strictObject({ tokens: z.array(tokenJson), nextCursor: z.string().nullable() }),
    handler: async ({ ctx, query }) => {
      const out = await listTokens(ctx, query);
      return { tokens: out.tokens.map(renderToken), nextCursor: out.nextCursor };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/tokens/self',
    operationId: 'lookupSelf',
    summary: 'Who the caller is, and the token it used',
    tag: TOKENS,
    response: selfJson,
    handler: async ({ ctx }) => renderSelf(await lookupSelf(ctx)),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/tokens/:accessor',
    operationId: 'revokeToken',
    summary: 'Revoke a token by its accessor',
    tag: TOKENS,
    params: z.strictObject({ accessor: z.string().min(1).max(64) }),
    handler: async ({ ctx, params }) => {
      await revokeToken(ctx, params);
    },
  }),
];

/** The identity routes of the native API, in documentation order. */
export const IDENTITY_ROUTES: readonly RestRoute[] = [
  ...principalRoutes,
  ...tokenRoutes,
  ...policyRoutes,
];

export interface IdentityRoutesOptions {
  /** The catalogue the OpenAPI document is rendered from, when not inside restApi's scope. */
  readonly catalogue?: RouteCatalogue;
  /** Validate success bodies against their schemas (tests). */
  readonly checkResponses?: boolean;
}

/**
 * `/principals`, `/tokens`, `/tokens/self`, `/certificates` and `/policies`
 * (docs/rest-api.md), to register under `/api/v1`. Routes land in the
 * OpenAPI document through `catalogue`, or the restCatalogue of the scope.
 *
 * @example
 * await api.register(identityRoutes, { catalogue });
 */
export const identityRoutes: FastifyPluginAsync<IdentityRoutesOptions> = (app, options) => {
  const catalogue =
    options.catalogue ?? (app.hasDecorator('restCatalogue') ? app.restCatalogue : undefined);
  // restApi's scope sets it already; mounted beside restApi, this one does.
  app.addHook('onRequest', (_request, reply, done) => {
    if (!reply.hasHeader('api-version')) reply.header('api-version', API_VERSION);
    done();
  });
  for (const route of IDENTITY_ROUTES) {
    route.install(app, { checkResponses: options.checkResponses === true });
    catalogue?.add(app.prefix, route.doc);
  }
  return Promise.resolve();
};
