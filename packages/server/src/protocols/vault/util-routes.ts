import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AccessDeniedError, InvalidInputError, UnsupportedError } from '../../core/errors.js';
import { generateRandom } from '../../service/index.js';
import { vaultContext } from './context.js';
import { vaultResponse } from './reply.js';
import { decodeBase64, intLike, parseBody } from './wire.js';

const format = z.enum(['base64', 'hex']).default('base64');
const randomBody = z.object({ bytes: intLike.optional(), format, source: z.string().optional() });
const hashBody = z.object({ input: z.string(), algorithm: z.string().optional(), format });

/** Vault's hash names → node:crypto's; none needs a key, so no service call. */
const DIGESTS: Readonly<Record<string, string>> = {
  'sha2-224': 'sha224',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
};

/** random and hash of one Transit mount (openbao path_random.go, path_hash.go). */
export function utilRoutes(app: FastifyInstance): void {
  const random = async (request: FastifyRequest) => {
    const params = request.params as { a?: string; b?: string };
    const b = parseBody(randomBody, request.body);
    // Path forms: random, random/:bytes, random/:source, random/:source/:bytes.
    const pathBytes = [params.b, params.a].find((p) => p !== undefined && /^\d+$/.test(p));
    const bytes = pathBytes !== undefined ? Number(pathBytes) : (b.bytes ?? 32);
    const source =
      params.a !== undefined && params.a !== pathBytes ? params.a : (b.source ?? 'platform');
    if (source !== 'platform' && source !== 'all') {
      throw new UnsupportedError(`random source ${source} is not supported`);
    }
    const out = await generateRandom(vaultContext(request), { numberOfBytes: bytes });
    try {
      return vaultResponse(request, { random_bytes: out.bytes.toString(b.format) });
    } finally {
      out.zero();
    }
  };
  app.post('/random', random);
  app.post('/random/:a', random);
  app.post('/random/:a/:b', random);

  const hash = (request: FastifyRequest) => {
    // No key is involved, so no service call authorizes it; Vault still wants a token.
    if (request.principal === undefined || request.principal.kind === 'anonymous') {
      throw new AccessDeniedError('hash needs a token');
    }
    const b = parseBody(hashBody, request.body);
    const name = (request.params as { algorithm?: string }).algorithm ?? b.algorithm ?? 'sha2-256';
    const node = Object.hasOwn(DIGESTS, name) ? DIGESTS[name] : undefined;
    if (node === undefined) throw new InvalidInputError(`unsupported algorithm ${name}`);
    const sum = createHash(node).update(decodeBase64('input', b.input)).digest(b.format);
    return Promise.resolve(vaultResponse(request, { sum }));
  };
  app.post('/hash', hash);
  app.post('/hash/:algorithm', hash);

  // Custos keeps unwrapped versions in its keyring's own bounded LRU; Vault's
  // per-mount cache size has no effect here and reads as 0 (Vault: unbounded).
  const cacheConfig = (request: FastifyRequest) => {
    parseBody(z.object({ size: intLike.optional() }), request.body);
    return Promise.resolve(vaultResponse(request, { size: 0 }));
  };
  app.get('/cache-config', cacheConfig);
  app.post('/cache-config', cacheConfig);
}
