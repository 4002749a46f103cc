import type { EncryptionContext } from '@custos/crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  InvalidCiphertextError,
  InvalidInputError,
  KmsError,
  UnsupportedError,
} from '../../core/errors.js';
import type { RequestContext } from '../../service/context.js';
import { createKey, decrypt, encrypt, generateDataKey, reEncrypt } from '../../service/index.js';
import { DERIVATION_CONTEXT_KEY, VAULT_ATTRIBUTES } from '../../service/vault/index.js';
import {
  type FailedItemsStyle,
  MAX_BATCH_ITEMS,
  partialFailureCode,
  reference,
  runBatch,
} from './batch.js';
import { vaultContext } from './context.js';
import { derivationAttributes, vaultKeyType } from './key-types.js';
import { vaultAlias } from './names.js';
import { vaultResponse } from './reply.js';
import { decodeBase64, intLike, parseBody, prefixed, unprefixCiphertext } from './wire.js';

/** Where Vault's `associated_data` goes: the Custos encryption context (the AAD). */
const AAD_CONTEXT_KEY = 'vault:associated_data';

const common = {
  context: z.string().optional(),
  key_version: intLike.optional(),
  associated_data: z.string().optional(),
  nonce: z.string().optional(),
  reference: z.string().optional(),
};
const encryptItem = z.object({ plaintext: z.string(), ...common });
const decryptItem = z.object({ ciphertext: z.string(), ...common });
/** Built once: a zod schema per request would cost more than the encryption. */
const batchOf = <T extends z.ZodType>(item: T) =>
  z.object({
    batch_input: z.array(item).min(1).max(MAX_BATCH_ITEMS),
    partial_failure_response_code: partialFailureCode,
  });
const encryptBatch = batchOf(encryptItem);
const decryptBatch = batchOf(decryptItem);

interface ContextFields {
  readonly context?: string | undefined;
  readonly associated_data?: string | undefined;
  readonly nonce?: string | undefined;
}

/**
 * The Custos encryption context of a Vault item: `associated_data` as the
 * AAD entry, `context` as the derivation entry (which the service uses for
 * derived keys and ignores otherwise, as Vault does). A caller nonce is
 * refused as Vault refuses it for every key but legacy convergent ones.
 */
function contextOf(item: ContextFields): EncryptionContext | undefined {
  if (item.nonce !== undefined && item.nonce !== '') {
    throw new InvalidInputError('nonce provided when not allowed');
  }
  const entries: Record<string, string> = {};
  if (item.associated_data !== undefined && item.associated_data !== '') {
    decodeBase64('associated_data', item.associated_data);
    entries[AAD_CONTEXT_KEY] = item.associated_data;
  }
  if (item.context !== undefined && item.context !== '') {
    decodeBase64('context', item.context);
    entries[DERIVATION_CONTEXT_KEY] = item.context;
  }
  return Object.keys(entries).length === 0 ? undefined : entries;
}

/** Custos encrypts with the latest version only; naming another is refused, not ignored. */
function checkVersion(keyVersion: number | undefined, latest: number): void {
  if (keyVersion !== undefined && keyVersion !== 0 && keyVersion !== latest) {
    throw new UnsupportedError('encrypting with a version other than the latest is not supported');
  }
}

type Item = z.infer<typeof encryptItem> | z.infer<typeof decryptItem>;

/**
 * Single or batch: Vault reads the top-level fields as one item, or
 * `batch_input` as many (openbao path_encrypt.go).
 */
async function handle<T extends z.ZodType<Item>>(
  request: FastifyRequest,
  reply: FastifyReply,
  schemas: {
    item: T;
    batch: z.ZodType<{
      batch_input: z.infer<T>[];
      partial_failure_response_code?: number | undefined;
    }>;
  },
  run: (item: z.infer<T>) => Promise<Record<string, unknown>>,
  style: FailedItemsStyle = 'status',
) {
  const body = request.body as { batch_input?: unknown } | null | undefined;
  if (body?.batch_input === undefined) {
    return vaultResponse(request, await run(parseBody(schemas.item, body)));
  }
  const parsed = parseBody(schemas.batch, body);
  const { results, status, warnings } = await runBatch(
    parsed.batch_input,
    async (item) => ({ ...(await run(item)), ...reference(item) }),
    { style, partialFailureCode: parsed.partial_failure_response_code },
  );
  return reply
    .code(status)
    .send(vaultResponse(request, { batch_results: results }, warnings ?? null));
}

/** encrypt, decrypt, rewrap and datakey of one Transit mount. */
export function cryptRoutes(app: FastifyInstance, mount: string): void {
  const name = (request: FastifyRequest) => (request.params as { name: string }).name;

  app.post('/encrypt/:name', async (request, reply) => {
    const ctx = vaultContext(request);
    const keyId = vaultAlias(mount, name(request));
    let created: Promise<void> | undefined;
    const once = async (item: z.infer<typeof encryptItem>, plaintext: Buffer) => {
      const context = contextOf(item);
      const out = await encrypt(ctx, {
        keyId,
        plaintext,
        ...(context !== undefined && { encryptionContext: context }),
      });
      checkVersion(item.key_version, out.keyVersion);
      return { ciphertext: prefixed(out.keyVersion, out.ciphertext), key_version: out.keyVersion };
    };
    const run = async (item: z.infer<typeof encryptItem>) => {
      const plaintext = decodeBase64('plaintext', item.plaintext);
      try {
        return await once(item, plaintext);
      } catch (error) {
        if (!(error instanceof KmsError && error.code === 'NOT_FOUND')) throw error;
        created ??= createMissingKey(ctx, request, keyId);
        await created;
        return await once(item, plaintext);
      } finally {
        plaintext.fill(0);
      }
    };
    return handle(request, reply, { item: encryptItem, batch: encryptBatch }, run);
  });

  app.post('/decrypt/:name', async (request, reply) => {
    const ctx = vaultContext(request);
    const keyId = vaultAlias(mount, name(request));
    return handle(request, reply, { item: decryptItem, batch: decryptBatch }, async (item) => {
      const { version, payload } = unprefixCiphertext(item.ciphertext);
      const context = contextOf(item);
      const out = await decrypt(ctx, {
        keyId,
        ciphertext: payload,
        ...(context !== undefined && { encryptionContext: context }),
      });
      try {
        if (out.keyVersion !== version) throw new InvalidCiphertextError();
        return { plaintext: out.plaintext.bytes.toString('base64') };
      } finally {
        out.plaintext.zero();
      }
    });
  });

  app.post('/rewrap/:name', async (request, reply) => {
    const ctx = vaultContext(request);
    const keyId = vaultAlias(mount, name(request));
    const run = async (item: z.infer<typeof decryptItem>) => {
      const { payload } = unprefixCiphertext(item.ciphertext);
      const context = contextOf(item);
      const out = await reEncrypt(ctx, {
        ciphertext: payload,
        sourceKeyId: keyId,
        destinationKeyId: keyId,
        ...(context !== undefined && {
          sourceEncryptionContext: context,
          destinationEncryptionContext: context,
        }),
      });
      checkVersion(item.key_version, out.keyVersion);
      return { ciphertext: prefixed(out.keyVersion, out.ciphertext), key_version: out.keyVersion };
    };
    // openbao's rewrap answers a batch 200 whatever its items' errors.
    return handle(request, reply, { item: decryptItem, batch: decryptBatch }, run, 'ok');
  });

  const datakeyBody = z.object({
    bits: intLike.default(256),
    context: z.string().optional(),
    nonce: z.string().optional(),
  });

  app.post('/datakey/:kind/:name', async (request) => {
    const kind = (request.params as { kind: string }).kind;
    if (kind !== 'plaintext' && kind !== 'wrapped') {
      throw new InvalidInputError('datakey type must be "plaintext" or "wrapped"');
    }
    const body = parseBody(datakeyBody, request.body);
    if (![128, 256, 512].includes(body.bits)) {
      throw new InvalidInputError('bits must be 128, 256 or 512');
    }
    const context = contextOf(body);
    const out = await generateDataKey(vaultContext(request), {
      keyId: vaultAlias(mount, name(request)),
      numberOfBytes: body.bits / 8,
      withPlaintext: kind === 'plaintext',
      ...(context !== undefined && { encryptionContext: context }),
    });
    try {
      return vaultResponse(request, {
        ciphertext: prefixed(out.keyVersion, out.ciphertext),
        key_version: out.keyVersion,
        ...(out.plaintext !== undefined && {
          plaintext: out.plaintext.bytes.toString('base64'),
        }),
      });
    } finally {
      out.plaintext?.zero();
    }
  });
}

/**
 * Vault's encrypt creates a missing key (aes256-gcm96, or the body's `type`)
 * when the caller may create keys; a caller who may not is refused. As
 * openbao path_encrypt.go, the key is derived when the request carries a
 * context, and convergent when the body asks for it.
 */
async function createMissingKey(ctx: RequestContext, request: FastifyRequest, alias: string) {
  const body = (request.body ?? {}) as {
    type?: unknown;
    context?: unknown;
    convergent_encryption?: unknown;
    batch_input?: unknown;
  };
  const type = vaultKeyType(typeof body.type === 'string' ? body.type : 'aes256-gcm96');
  const first: unknown = Array.isArray(body.batch_input) ? body.batch_input[0] : body;
  const context =
    typeof first === 'object' && first !== null && 'context' in first ? first.context : undefined;
  const derived = typeof context === 'string' && context !== '';
  const convergent = body.convergent_encryption === true || body.convergent_encryption === 'true';
  try {
    await createKey(ctx, {
      spec: type.spec,
      usage: type.usage,
      alias,
      attributes: {
        [VAULT_ATTRIBUTES.type]: type.name,
        ...derivationAttributes(type, derived, convergent),
      },
    });
  } catch (error) {
    if (!(error instanceof KmsError && error.code === 'ALREADY_EXISTS')) throw error;
  }
}
