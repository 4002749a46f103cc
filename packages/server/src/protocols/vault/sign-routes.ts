import type { EcdsaEncoding, SigningAlgorithm } from '@custos/crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { RequestContext } from '../../service/context.js';
import {
  describeKey,
  generateMac,
  sign,
  verify,
  verifyMac,
  type KeyView,
} from '../../service/index.js';
import { MAX_BATCH_ITEMS, partialFailureCode, reference, runBatch } from './batch.js';
import { vaultContext } from './context.js';
import { bits, vaultHash } from './hashes.js';
import { vaultAlias } from './names.js';
import { vaultResponse } from './reply.js';
import { boolLike, decodeBase64, intLike, parseBody, prefixed, unprefix } from './wire.js';

const options = {
  hash_algorithm: z.string().optional(),
  algorithm: z.string().optional(),
  signature_algorithm: z.enum(['pss', 'pkcs1v15']).default('pss'),
  marshaling_algorithm: z.enum(['asn1', 'jws']).default('asn1'),
  prehashed: boolLike.default(false),
  key_version: intLike.optional(),
};
const item = z.object({
  input: z.string(),
  signature: z.string().optional(),
  hmac: z.string().optional(),
  context: z.string().optional(),
  reference: z.string().optional(),
});
const body = z.object({
  ...options,
  input: z.string().optional(),
  signature: z.string().optional(),
  hmac: z.string().optional(),
  context: z.string().optional(),
  batch_input: z.array(item).min(1).max(MAX_BATCH_ITEMS).optional(),
  partial_failure_response_code: partialFailureCode,
});
type Body = z.infer<typeof body>;
type Item = z.infer<typeof item>;

/** The hash from the path, else the body (`hash_algorithm`, or `algorithm` as hmac has it). */
function hashOf(request: FastifyRequest, b: Body, fallback: string): string {
  return (request.params as { hash?: string }).hash ?? b.hash_algorithm ?? b.algorithm ?? fallback;
}

/**
 * The Custos signing algorithm for Vault's parameters. A Custos ECDSA key
 * signs with its curve's hash only, so that hash is the default (Vault's is
 * sha2-256 for every curve); another is refused.
 */
function signingAlgorithm(key: KeyView, request: FastifyRequest, b: Body): SigningAlgorithm {
  const [own] = key.signingAlgorithms as SigningAlgorithm[];
  if (own === undefined) throw new InvalidInputError('this key type does not support signing');
  if (own === 'ED25519_SHA_512') {
    if (b.prehashed) throw new InvalidInputError('ed25519 keys do not sign prehashed input');
    return own;
  }
  if (own.startsWith('ECDSA_')) {
    const wanted = hashOf(request, b, `sha2-${own.slice(-3)}`);
    const algorithm = `ECDSA_SHA_${bits(vaultHash(wanted))}` as SigningAlgorithm;
    if (algorithm !== own) {
      throw new InvalidInputError(`this curve signs with sha2-${own.slice(-3)} only in Custos`);
    }
    return own;
  }
  const hash = bits(vaultHash(hashOf(request, b, 'sha2-256')));
  const scheme = b.signature_algorithm === 'pss' ? 'PSS' : 'PKCS1_V1_5';
  return `RSASSA_${scheme}_SHA_${hash}` as SigningAlgorithm;
}

/** An item's `context` as the service takes it; only derived ed25519 keys use it. */
function derivation(one: Item): { derivationContext?: Buffer } {
  return one.context === undefined || one.context === ''
    ? {}
    : { derivationContext: decodeBase64('context', one.context) };
}

/** The 32 raw bytes of an Ed25519 SPKI (its tail), base64, as Vault shows ed25519 keys. */
function rawEd25519(spki: Buffer): string {
  return spki.subarray(spki.length - 32).toString('base64');
}

/** All items (or the one top-level item) of a sign/verify/hmac request. */
function itemsOf(b: Body): { items: Item[]; batch: boolean } {
  if (b.batch_input !== undefined) return { items: b.batch_input, batch: true };
  if (b.input === undefined) throw new InvalidInputError('missing input');
  return {
    items: [
      {
        input: b.input,
        ...(b.signature !== undefined && { signature: b.signature }),
        ...(b.hmac !== undefined && { hmac: b.hmac }),
        ...(b.context !== undefined && { context: b.context }),
      },
    ],
    batch: false,
  };
}

async function answer(
  request: FastifyRequest,
  b: Body,
  run: (item: Item) => Promise<Record<string, unknown>>,
) {
  const { items, batch } = itemsOf(b);
  const [first] = items;
  if (!batch && first !== undefined) {
    return { status: 200, body: vaultResponse(request, await run(first)) };
  }
  const { results, status, warnings } = await runBatch(
    items,
    async (one) => ({ ...(await run(one)), ...reference(one) }),
    // openbao answers these batches 200 whatever their items' errors.
    { style: 'ok', partialFailureCode: b.partial_failure_response_code },
  );
  return { status, body: vaultResponse(request, { batch_results: results }, warnings ?? null) };
}

/** sign, verify and hmac of one Transit mount (openbao path_sign_verify.go, path_hmac.go). */
export function signRoutes(app: FastifyInstance, mount: string): void {
  const keyOf = (request: FastifyRequest) =>
    vaultAlias(mount, (request.params as { name: string }).name);
  const signing = async (ctx: RequestContext, request: FastifyRequest, b: Body) => {
    const key = await describeKey(ctx, { keyId: keyOf(request) });
    const algorithm = signingAlgorithm(key, request, b);
    const encoding: EcdsaEncoding = b.marshaling_algorithm === 'jws' ? 'ieee-p1363' : 'der';
    return {
      keyId: key.keyId,
      algorithm,
      messageType: b.prehashed ? ('DIGEST' as const) : ('RAW' as const),
      ...(algorithm.startsWith('ECDSA_') && { encoding }),
      jws: b.marshaling_algorithm === 'jws',
    };
  };

  for (const suffix of ['', '/:hash']) {
    app.post(`/sign/:name${suffix}`, async (request, reply) => {
      const b = parseBody(body, request.body);
      const ctx = vaultContext(request);
      const { jws, ...how } = await signing(ctx, request, b);
      const out = await answer(request, b, async (one) => {
        const signed = await sign(ctx, {
          ...how,
          message: decodeBase64('input', one.input),
          ...derivation(one),
        });
        return {
          signature: prefixed(signed.keyVersion, signed.signature, jws),
          key_version: signed.keyVersion,
          // Vault returns a derived key's public key beside its signature (raw, base64).
          ...(signed.derivedPublicKey !== undefined && {
            public_key: rawEd25519(signed.derivedPublicKey),
          }),
        };
      });
      return reply.code(out.status).send(out.body);
    });

    app.post(`/verify/:name${suffix}`, async (request, reply) => {
      const b = parseBody(body, request.body);
      const ctx = vaultContext(request);
      const hmacMode = b.hmac !== undefined || b.batch_input?.some((i) => i.hmac !== undefined);
      const how = hmacMode ? undefined : await signing(ctx, request, b);
      const out = await answer(request, b, async (one) => {
        const message = decodeBase64('input', one.input);
        if (how === undefined) {
          const mac = unprefix(one.hmac ?? '');
          const algorithm = `HMAC_SHA_${bits(vaultHash(hashOf(request, b, 'sha2-256')))}`;
          const checked = await verifyMac(ctx, {
            keyId: keyOf(request),
            message,
            mac: mac.payload,
            algorithm: algorithm as 'HMAC_SHA_256',
          });
          return { valid: checked.valid };
        }
        const { jws, ...rest } = how;
        const signature = unprefix(one.signature ?? '', jws);
        const checked = await verify(ctx, {
          ...rest,
          message,
          signature: signature.payload,
          keyVersion: signature.version,
          ...derivation(one),
        });
        return { valid: checked.valid };
      });
      return reply.code(out.status).send(out.body);
    });

    app.post(`/hmac/:name${suffix}`, async (request, reply) => {
      const b = parseBody(body, request.body);
      const ctx = vaultContext(request);
      const algorithm = `HMAC_SHA_${bits(vaultHash(hashOf(request, b, 'sha2-256')))}`;
      const out = await answer(request, b, async (one) => {
        const mac = await generateMac(ctx, {
          keyId: keyOf(request),
          message: decodeBase64('input', one.input),
          algorithm: algorithm as 'HMAC_SHA_256',
        });
        return { hmac: prefixed(mac.keyVersion, mac.mac) };
      });
      return reply.code(out.status).send(out.body);
    });
  }
}
