import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import { backupKey, createAlias, restoreKey } from '../../service/index.js';
import { vaultContext } from './context.js';
import { aliasPrefix, vaultAlias } from './names.js';
import { vaultResponse } from './reply.js';
import { boolLike, decodeBase64, parseBody } from './wire.js';

const restoreBody = z.object({
  backup: z.string().min(1),
  name: z.string().optional(),
  force: boolLike.default(false),
});

/**
 * backup and restore of one Transit mount (openbao path_backup.go,
 * path_restore.go). The backup is the Custos key backup blob (sealed under
 * the domain key, docs/formats.md), not Vault's plaintext one: it restores
 * only into a Custos server holding the same domain key, and never exposes
 * key material, so `allow_plaintext_backup` is not required.
 */
export function backupRoutes(app: FastifyInstance, mount: string): void {
  app.get('/backup/:name', async (request) => {
    const name = (request.params as { name: string }).name;
    const out = await backupKey(vaultContext(request), { keyId: vaultAlias(mount, name) });
    return vaultResponse(request, { backup: out.backup.toString('base64') });
  });

  const restore = async (request: FastifyRequest) => {
    const body = parseBody(restoreBody, request.body);
    const name = (request.params as { name?: string }).name ?? body.name;
    if (body.force) throw new InvalidInputError('force is not supported: restore never overwrites');
    const ctx = vaultContext(request);
    const view = await restoreKey(ctx, { backup: decodeBase64('backup', body.backup) });
    // A new name for the restored key: its alias on this mount, beside those the backup carried.
    if (name !== undefined) {
      const alias = vaultAlias(mount, name);
      if (!view.aliases.includes(alias)) await createAlias(ctx, { alias, keyId: view.keyId });
    } else if (!view.aliases.some((a) => a.startsWith(aliasPrefix(mount)))) {
      throw new InvalidInputError('the backup names no key on this mount: give a name');
    }
    return vaultResponse(request, null);
  };
  app.post('/restore', restore);
  app.post('/restore/:name', restore);
}
