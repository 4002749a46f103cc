import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { RequestContext } from '../../service/context.js';
import { defineRoute, registerRoutes, type RestRoute } from './route.js';

export const sealStatusJson = z.object({
  initialized: z.boolean(),
  sealed: z.boolean(),
  sealType: z.string().nullable(),
  version: z.string(),
});
export type SealStatusJson = z.infer<typeof sealStatusJson>;

/** Seal operations, supplied by the composition root (which holds the seal configuration). */
export interface SysControls {
  status(): Promise<SealStatusJson>;
  /**
   * Unwraps the domain key with the passphrase. A wrong passphrase is
   * INVALID_INPUT; a seal that needs no operator input is INVALID_STATE.
   */
  unseal(passphrase: string): Promise<void>;
  /** Forgets the domain key; only the root principal may (ACCESS_DENIED otherwise). */
  seal(ctx: RequestContext): Promise<void>;
}

/** Long enough for any passphrase people type or generate; bounds the scrypt input. */
const MAX_PASSPHRASE = 1024;

const unsealBody = z.strictObject({ passphrase: z.string().min(1).max(MAX_PASSPHRASE) });

/**
 * `GET /sys/status` (no credential needed: it is what an operator checks
 * before unsealing), `POST /sys/unseal` (the passphrase is the credential),
 * `POST /sys/seal` (root only). Each answers the seal status afterwards.
 *
 * @example
 * registerRoutes(app, sysRoutes(controls));
 */
export function sysRoutes(controls: SysControls): RestRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/sys/status',
      operationId: 'sealStatus',
      summary: 'Whether the server is initialised and sealed, and by which seal',
      tag: 'System',
      response: sealStatusJson,
      handler: () => controls.status(),
    }),
    defineRoute({
      method: 'POST',
      path: '/sys/unseal',
      operationId: 'unseal',
      summary: 'Unseal with the passphrase',
      tag: 'System',
      body: unsealBody,
      response: sealStatusJson,
      handler: async ({ body }) => {
        await controls.unseal(body.passphrase);
        return controls.status();
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/sys/seal',
      operationId: 'seal',
      summary: 'Seal: forget the domain key and every cached key',
      tag: 'System',
      response: sealStatusJson,
      handler: async ({ ctx }) => {
        await controls.seal(ctx);
        return controls.status();
      },
    }),
  ];
}

export interface SysApiOptions {
  readonly controls: SysControls;
}

/** The sys routes as a plugin, for a scope that has no restApi catalogue. */
export const sysApi: FastifyPluginAsync<SysApiOptions> = (app, options) => {
  registerRoutes(app, sysRoutes(options.controls));
  return Promise.resolve();
};
