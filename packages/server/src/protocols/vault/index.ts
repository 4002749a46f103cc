import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../core/errors.js';
import { vaultTokenAuth } from './auth.js';
import { backupRoutes } from './backup-routes.js';
import { byokRoutes } from './byok-routes.js';
import { cryptRoutes } from './crypt-routes.js';
import { vaultErrorHandler } from './errors.js';
import { exportRoutes } from './export-routes.js';
import { keyRoutes } from './key-routes.js';
import { acceptListMethod } from './list-method.js';
import { signRoutes } from './sign-routes.js';
import { sysRoutes } from './sys-routes.js';
import { utilRoutes } from './util-routes.js';

export interface VaultDoorOptions {
  /** Transit mounts served under /v1/<mount>; `transit` unless configured. */
  readonly mounts: readonly string[];
}

const MOUNT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * The Vault Transit door (docs/vault.md): `/v1/sys/*`, token lookup-self and
 * each Transit mount, with Vault's `{"errors": [...]}` bodies and status codes.
 *
 * @example
 * await app.register(vaultDoor, { mounts: ['transit'] });
 */
export async function vaultDoor(app: FastifyInstance, options: VaultDoorOptions): Promise<void> {
  for (const mount of options.mounts) {
    if (!MOUNT_NAME.test(mount) || mount === 'sys' || mount === 'auth') {
      throw new TypeError(`invalid Vault mount name: ${mount}`);
    }
  }
  acceptListMethod(app);
  await app.register(
    async (v1) => {
      v1.setErrorHandler(vaultErrorHandler);
      v1.setNotFoundHandler((request) => {
        throw new NotFoundError(`no handler for route ${request.url.split('?')[0] ?? ''}`);
      });
      vaultTokenAuth(v1);
      sysRoutes(v1);
      for (const mount of options.mounts) {
        await v1.register(
          (transit, _options, done) => {
            keyRoutes(transit, mount);
            cryptRoutes(transit, mount);
            signRoutes(transit, mount);
            utilRoutes(transit);
            backupRoutes(transit, mount);
            exportRoutes(transit, mount);
            byokRoutes(transit, mount);
            done();
          },
          { prefix: `/${mount}` },
        );
      }
    },
    { prefix: '/v1' },
  );
}
