import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { VERSION } from '../../ops/version.js';
import { sealStatus } from '../../service/index.js';
import { lookupSelf } from '../../service/identity/index.js';
import { vaultContext } from './context.js';
import { vaultResponse } from './reply.js';
import { intLike, parseBody } from './wire.js';

const healthQuery = z.object({
  activecode: intLike.optional(),
  sealedcode: intLike.optional(),
  uninitcode: intLike.optional(),
});

/**
 * Vault's system paths a Transit client touches. `sys/health` and
 * `sys/seal-status` are unauthenticated in Vault, so public here.
 * sys/health (api docs): 200 initialised and unsealed, 503 sealed, 501 not
 * initialised, each overridable by `activecode`, `sealedcode`, `uninitcode`.
 */
export function sysRoutes(app: FastifyInstance): void {
  app.get('/sys/health', { config: { public: true } }, async (request, reply) => {
    const query = parseBody(healthQuery, request.query);
    const status = await sealStatus(request.server.kms);
    const code = !status.initialized
      ? (query.uninitcode ?? 501)
      : status.sealed
        ? (query.sealedcode ?? 503)
        : (query.activecode ?? 200);
    return reply.code(code).send({
      initialized: status.initialized,
      sealed: status.sealed,
      standby: false,
      performance_standby: false,
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: Math.floor(Date.now() / 1000),
      version: VERSION,
      cluster_name: 'custos',
    });
  });

  app.get('/sys/seal-status', { config: { public: true } }, async (request) => {
    const status = await sealStatus(request.server.kms);
    return {
      type: status.sealType ?? 'unknown',
      initialized: status.initialized,
      sealed: status.sealed,
      t: 1,
      n: 1,
      progress: 0,
      nonce: '',
      version: VERSION,
      migration: false,
      recovery_seal: false,
      storage_type: 'custos',
    };
  });

  app.get('/auth/token/lookup-self', async (request) => {
    const self = await lookupSelf(vaultContext(request), undefined);
    const expires = self.credential?.expiresAt ?? null;
    const ttl =
      expires === null ? 0 : Math.max(0, Math.floor((expires.getTime() - Date.now()) / 1000));
    return vaultResponse(request, {
      accessor: self.token?.accessor ?? '',
      display_name: self.id,
      entity_id: self.id,
      expire_time: expires?.toISOString() ?? null,
      meta: { kind: self.kind },
      path: 'auth/token/create',
      policies: self.policies,
      renewable: false,
      ttl,
      type: 'service',
    });
  });
}
