import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InvalidInputError, UnsupportedError } from '../../core/errors.js';
import {
  EXPORT_FORMATS,
  VAULT_EXPORT_TYPES,
  type VaultExportType,
  exportVaultKey,
} from '../../service/vault/index.js';
import { vaultContext } from './context.js';
import { typeOfKey } from './key-types.js';
import { vaultAlias } from './names.js';
import { vaultResponse } from './reply.js';
import { parseBody } from './wire.js';

const query = z.object({ format: z.string().default('') });

interface Params {
  type: string;
  name: string;
  version?: string;
}

function exportType(type: string): VaultExportType {
  if (type === 'certificate-chain') {
    throw new UnsupportedError('certificate chains are not kept by Custos');
  }
  const found = VAULT_EXPORT_TYPES.find((t) => t === type);
  if (found === undefined) throw new InvalidInputError(`invalid export type: ${type}`);
  return found;
}

/** openbao path_export.go: '' is every version, `latest`, or `N` / `vN`. */
function versionOf(text: string | undefined): number | 'latest' | undefined {
  if (text === undefined || text === '') return undefined;
  if (text === 'latest') return 'latest';
  const match = /^v?(\d{1,9})$/.exec(text);
  if (match?.[1] === undefined) throw new InvalidInputError('invalid key version');
  return Number(match[1]);
}

/** `export/:type/:name[/:version]` of one Transit mount (openbao path_export.go). */
export function exportRoutes(app: FastifyInstance, mount: string): void {
  const handler = async (request: FastifyRequest) => {
    const params = request.params as Params;
    const type = exportType(params.type);
    const { format } = parseBody(query, request.query);
    const known = EXPORT_FORMATS.find((f) => f === format);
    if (known === undefined) throw new InvalidInputError(`invalid format: ${format}`);
    const version = versionOf(params.version);
    const ctx = vaultContext(request);
    const keyId = vaultAlias(mount, params.name);
    const out = await exportVaultKey(ctx, {
      keyId,
      type,
      format: known,
      ...(version !== undefined && { version }),
    });
    const vaultType = typeOfKey(out.spec, out.vaultType);
    return vaultResponse(request, {
      name: params.name,
      type: vaultType?.name ?? out.spec,
      keys: out.keys,
    });
  };
  app.get('/export/:type/:name', handler);
  app.get('/export/:type/:name/:version', handler);
}
