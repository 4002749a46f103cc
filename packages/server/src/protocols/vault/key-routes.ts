import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InvalidInputError, KmsError, NotFoundError } from '../../core/errors.js';
import type { RequestContext } from '../../service/context.js';
import { createKey, listAliases, setKeyRotation } from '../../service/index.js';
import {
  VAULT_ATTRIBUTES,
  configureVaultKey,
  deleteVaultKey,
  derivedPublicKeys,
  describeVaultKey,
  rotateVaultKey,
  trimVaultKey,
} from '../../service/vault/index.js';
import { vaultContext } from './context.js';
import { vaultKeyJson } from './key-json.js';
import { derivationAttributes, vaultKeyType } from './key-types.js';
import { aliasPrefix, vaultAlias } from './names.js';
import { vaultResponse } from './reply.js';
import { boolLike, decodeBase64, intLike, parseBody } from './wire.js';

/** Vault durations: seconds, or Go-style `24h`, `30m`, `90s`; `0` turns it off. */
const duration = z.union([
  z.int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,9}[smhd]?$/)
    .transform((text) => {
      const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[text.slice(-1)] ?? 1;
      return Number.parseInt(text, 10) * unit;
    }),
]);

/** Custos rotates in whole days; a Vault period that is not one is refused, not rounded. */
function rotationDays(seconds: number | undefined): number | null | undefined {
  if (seconds === undefined) return undefined;
  if (seconds === 0) return null;
  if (seconds % 86_400 !== 0) {
    throw new InvalidInputError('auto_rotate_period must be a whole number of days (e.g. 24h)');
  }
  return seconds / 86_400;
}

const createBody = z.object({
  type: z.string().default('aes256-gcm96'),
  derived: boolLike.default(false),
  convergent_encryption: boolLike.default(false),
  exportable: boolLike.default(false),
  allow_plaintext_backup: boolLike.default(false),
  auto_rotate_period: duration.optional(),
});

const configBody = z.object({
  min_decryption_version: intLike.optional(),
  min_encryption_version: intLike.optional(),
  deletion_allowed: boolLike.optional(),
  exportable: boolLike.optional(),
  allow_plaintext_backup: boolLike.optional(),
  auto_rotate_period: duration.optional(),
});

/** Negative numbers too, so that they get Vault's own refusal rather than a schema error. */
const trimBody = z.object({
  min_available_version: z
    .union([
      z.int(),
      z
        .string()
        .regex(/^-?\d{1,9}$/)
        .transform(Number),
    ])
    .optional(),
});

interface Params {
  mount?: string;
  name: string;
}

/** `keys/*` of one Transit mount (openbao path_keys.go, path_config.go, path_rotate.go). */
export function keyRoutes(app: FastifyInstance, mount: string): void {
  const alias = (request: FastifyRequest) => vaultAlias(mount, (request.params as Params).name);
  const read = async (ctx: RequestContext, request: FastifyRequest) => {
    const view = await describeVaultKey(ctx, { keyId: alias(request) });
    // `?context=` shows a derived ed25519 key's public keys for that context.
    const { context } = request.query as { context?: unknown };
    const derived =
      typeof context === 'string' &&
      context !== '' &&
      view.attributes[VAULT_ATTRIBUTES.derived] === 'true'
        ? await derivedPublicKeys(ctx, {
            keyId: alias(request),
            context: decodeBase64('context', context),
          })
        : undefined;
    return vaultResponse(
      request,
      await vaultKeyJson(ctx, (request.params as Params).name, view, derived),
    );
  };

  app.post('/keys/:name', async (request) => {
    const body = parseBody(createBody, request.body);
    const type = vaultKeyType(body.type);
    const derivation = derivationAttributes(type, body.derived, body.convergent_encryption);
    const ctx = vaultContext(request);
    const days = rotationDays(body.auto_rotate_period);
    try {
      await createKey(ctx, {
        spec: type.spec,
        usage: type.usage,
        alias: alias(request),
        exportable: body.exportable,
        description: `Vault transit key ${mount}/${(request.params as Params).name}`,
        ...(days !== undefined && { rotationPeriodDays: days }),
        attributes: {
          [VAULT_ATTRIBUTES.type]: type.name,
          [VAULT_ATTRIBUTES.allowPlaintextBackup]: String(body.allow_plaintext_backup),
          ...derivation,
        },
      });
    } catch (error) {
      // Vault's create is an upsert: an existing key is answered as it is.
      if (!(error instanceof KmsError && error.code === 'ALREADY_EXISTS')) throw error;
    }
    return read(ctx, request);
  });

  app.get('/keys/:name', (request) => read(vaultContext(request), request));

  app.post('/keys/:name/config', async (request) => {
    const body = parseBody(configBody, request.body);
    const ctx = vaultContext(request);
    const keyId = alias(request);
    const days = rotationDays(body.auto_rotate_period);
    if (days !== undefined) await setKeyRotation(ctx, { keyId, rotationPeriodDays: days });
    await configureVaultKey(ctx, {
      keyId,
      ...(body.min_decryption_version !== undefined && {
        minDecryptionVersion: body.min_decryption_version,
      }),
      ...(body.min_encryption_version !== undefined && {
        minEncryptionVersion: body.min_encryption_version,
      }),
      ...(body.deletion_allowed !== undefined && { deletionAllowed: body.deletion_allowed }),
      ...(body.exportable !== undefined && { exportable: body.exportable }),
      ...(body.allow_plaintext_backup !== undefined && {
        allowPlaintextBackup: body.allow_plaintext_backup,
      }),
    });
    return read(ctx, request);
  });

  app.post('/keys/:name/rotate', async (request) => {
    const ctx = vaultContext(request);
    const { name } = request.params as { name: string };
    await rotateVaultKey(ctx, { keyId: alias(request), name });
    return read(ctx, request);
  });

  app.post('/keys/:name/trim', async (request) => {
    const body = parseBody(trimBody, request.body);
    if (body.min_available_version === undefined) {
      throw new InvalidInputError('missing min_available_version');
    }
    const ctx = vaultContext(request);
    await trimVaultKey(ctx, {
      keyId: alias(request),
      minAvailableVersion: body.min_available_version,
    });
    return read(ctx, request);
  });

  app.delete('/keys/:name', async (request, reply) => {
    await deleteVaultKey(vaultContext(request), { alias: alias(request) });
    return reply.code(204).send();
  });

  const list = async (request: FastifyRequest) => {
    const names = await listNames(vaultContext(request), aliasPrefix(mount));
    if (names.length === 0) throw new NotFoundError('no keys');
    return vaultResponse(request, { keys: names });
  };
  // Node's HTTP parser refuses the LIST verb with 400 before any handler runs,
  // so Vault's `GET ?list=true` form is the one served (docs/vault.md).
  app.get('/keys', async (request) => {
    const query = request.query as Record<string, unknown>;
    if (query.list !== 'true' && query.list !== '1') throw new NotFoundError('no route');
    return list(request);
  });
}

/** Every key name on a mount; bounded so a huge alias table cannot loop forever. */
async function listNames(ctx: RequestContext, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const out = await listAliases(ctx, { limit: 1000, ...(cursor !== undefined && { cursor }) });
    for (const { name } of out.aliases)
      if (name.startsWith(prefix)) names.push(name.slice(prefix.length));
    if (out.nextCursor === null) break;
    cursor = out.nextCursor;
  }
  return names.sort();
}
