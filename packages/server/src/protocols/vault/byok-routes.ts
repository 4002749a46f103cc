import type { OaepHash } from '@custos/crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InvalidInputError, UnsupportedError } from '../../core/errors.js';
import {
  VAULT_ATTRIBUTES,
  type VaultImportMaterial,
  importVaultKey,
  importVaultKeyVersion,
  vaultWrappingKey,
} from '../../service/vault/index.js';
import { vaultContext } from './context.js';
import { derivationAttributes, vaultKeyType } from './key-types.js';
import { vaultAlias } from './names.js';
import { vaultResponse } from './reply.js';
import { boolLike, decodeBase64, intLike, parseBody } from './wire.js';

/** openbao path_import.go parseHashFn, case-insensitive as there. */
const HASH_FUNCTIONS: Readonly<Record<string, OaepHash>> = {
  SHA1: 'SHA-1',
  SHA224: 'SHA-224',
  SHA256: 'SHA-256',
  SHA384: 'SHA-384',
  SHA512: 'SHA-512',
};

const keyMaterial = {
  ciphertext: z.string().optional(),
  public_key: z.string().optional(),
  hash_function: z.string().default('SHA256'),
};
const importBody = z.object({
  ...keyMaterial,
  type: z.string().default('aes256-gcm96'),
  derived: boolLike.default(false),
  exportable: boolLike.default(false),
  allow_plaintext_backup: boolLike.default(false),
  allow_rotation: boolLike.default(false),
  auto_rotate_period: z.union([z.int().nonnegative(), z.string()]).optional(),
  context: z.string().optional(),
});
const importVersionBody = z.object({ ...keyMaterial, version: intLike.optional() });

function hashOf(name: string): OaepHash {
  const hash = Object.hasOwn(HASH_FUNCTIONS, name.toUpperCase())
    ? HASH_FUNCTIONS[name.toUpperCase()]
    : undefined;
  if (hash === undefined) throw new InvalidInputError(`unknown hash function: ${name}`);
  return hash;
}

/**
 * The key an import body brings: `ciphertext` (wrapped for the mount) or
 * `public_key` (PEM), exactly one of them, as openbao's checkKeyFieldsSet.
 */
function materialOf(body: {
  ciphertext?: string | undefined;
  public_key?: string | undefined;
  hash_function: string;
}): VaultImportMaterial {
  if (body.ciphertext !== undefined && body.public_key !== undefined) {
    throw new InvalidInputError(
      'only one of the following fields, ciphertext and public_key, can be set',
    );
  }
  if (body.public_key !== undefined) return { kind: 'public', pem: body.public_key };
  if (body.ciphertext === undefined || body.ciphertext === '') {
    throw new InvalidInputError('missing ciphertext');
  }
  return {
    kind: 'wrapped',
    ciphertext: decodeBase64('ciphertext', body.ciphertext),
    hash: hashOf(body.hash_function),
  };
}

/** wrapping_key, keys/:name/import and import_version of one Transit mount (BYOK). */
export function byokRoutes(app: FastifyInstance, mount: string): void {
  const alias = (request: FastifyRequest) =>
    vaultAlias(mount, (request.params as { name: string }).name);

  app.get('/wrapping_key', async (request) => {
    const out = await vaultWrappingKey(vaultContext(request), { mount });
    return vaultResponse(request, { public_key: out.publicKeyPem });
  });

  app.post('/keys/:name/import', async (request, reply) => {
    const raw = (request.body ?? {}) as Record<string, unknown>;
    // openbao refuses the field's mere presence, whatever its value.
    if (Object.hasOwn(raw, 'convergent_encryption')) {
      throw new InvalidInputError(
        'import cannot be used on keys with convergent encryption enabled',
      );
    }
    const body = parseBody(importBody, raw);
    const rotates =
      body.auto_rotate_period !== undefined &&
      body.auto_rotate_period !== 0 &&
      body.auto_rotate_period !== '0';
    if (rotates && !body.allow_rotation) {
      throw new InvalidInputError('allow_rotation must be set to true if auto-rotation is enabled');
    }
    if (rotates) {
      // The core never rotates imported material on a schedule; rotate on demand instead.
      throw new UnsupportedError('keys with imported material do not rotate automatically');
    }
    const type = vaultKeyType(body.type);
    const material = materialOf(body);
    await importVaultKey(vaultContext(request), {
      mount,
      alias: alias(request),
      spec: type.spec,
      usage: type.usage,
      material,
      exportable: body.exportable,
      attributes: {
        [VAULT_ATTRIBUTES.type]: type.name,
        [VAULT_ATTRIBUTES.allowPlaintextBackup]: String(body.allow_plaintext_backup),
        [VAULT_ATTRIBUTES.allowRotation]: String(body.allow_rotation),
        ...derivationAttributes(type, body.derived, false),
      },
    });
    return reply.code(204).send();
  });

  app.post('/keys/:name/import_version', async (request, reply) => {
    const body = parseBody(importVersionBody, request.body);
    await importVaultKeyVersion(vaultContext(request), {
      mount,
      alias: alias(request),
      material: materialOf(body),
      version: body.version,
    });
    return reply.code(204).send();
  });
}
