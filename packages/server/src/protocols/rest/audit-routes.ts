import { exportPublicKey } from '@custos/crypto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { getAuditPublicKey, listAuditRecords } from '../../service/index.js';
import type { RouteCatalogue } from './catalogue.js';
import { isoDate, isoDateInput, pageCursor, pageLimit } from './json.js';
import { defineRoute, type RestRoute } from './route.js';

const TAG = 'Audit';

const auditQuery = z.strictObject({
  from: isoDateInput.optional().meta({ description: 'Records at or after this time' }),
  to: isoDateInput.optional().meta({ description: 'Records before this time' }),
  principal: z.string().min(1).max(512).optional(),
  keyId: z.string().min(1).max(256).optional().meta({ description: 'Key id (not an alias)' }),
  operation: z.string().min(1).max(128).optional().meta({ description: 'e.g. encrypt' }),
  outcome: z.enum(['success', 'denied', 'failure']).optional(),
  afterSeq: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: 'Records after this seq, oldest first (follow the log)' }),
  limit: pageLimit,
  cursor: pageCursor,
});

// The record is documented field by field in docs/formats.md; here only what
// clients page and filter by is spelt out.
const auditRecordJson = z
  .looseObject({
    seq: z.number().int(),
    time: isoDate,
    principal: z.string().nullable(),
    operation: z.string(),
    keyId: z.string().nullable(),
    outcome: z.enum(['success', 'denied', 'failure']),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditRecord', description: 'A hash-chained audit record (docs/formats.md)' });

/** `GET /audit` and `GET /audit/public-key` (docs/rest-api.md, docs/audit.md). */
export const AUDIT_ROUTES: readonly RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/audit',
    operationId: 'listAuditRecords',
    summary: 'Read the audit log: newest first, or oldest first after a seq; filtered, paged',
    tag: TAG,
    query: auditQuery,
    response: z.strictObject({
      records: z.array(auditRecordJson),
      nextCursor: z.string().nullable(),
    }),
    handler: ({ ctx, query }) => listAuditRecords(ctx, query),
  }),
  defineRoute({
    method: 'GET',
    path: '/audit/public-key',
    operationId: 'getAuditPublicKey',
    summary: 'The Ed25519 key audit checkpoints verify with',
    tag: TAG,
    response: z.strictObject({
      keyId: z.string(),
      publicKey: z.string().meta({ description: 'SPKI DER, base64' }),
      pem: z.string(),
    }),
    handler: async ({ ctx }) => {
      const { keyId, publicKey } = await getAuditPublicKey(ctx);
      return {
        keyId,
        publicKey: publicKey.toString('base64'),
        pem: exportPublicKey(publicKey, 'pem'),
      };
    },
  }),
];

export interface AuditRoutesOptions {
  readonly catalogue?: RouteCatalogue;
  /** Validate success bodies against their schemas (tests). */
  readonly checkResponses?: boolean;
}

/**
 * The audit routes, to register under `/api/v1`.
 *
 * @example
 * await api.register(auditRoutes, { catalogue });
 */
export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = (app, options) => {
  for (const route of AUDIT_ROUTES) {
    route.install(app, { checkResponses: options.checkResponses === true });
    options.catalogue?.add(app.prefix, route.doc);
  }
  return Promise.resolve();
};
