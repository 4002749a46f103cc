import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { UnauthenticatedError } from '../../src/core/errors.js';
import { ROOT_PRINCIPAL } from '../../src/core/principal.js';
import { createLogger } from '../../src/ops/logger.js';
import { createHttpServer, type HttpServerOptions } from '../../src/protocols/http/server.js';
import { restApi } from '../../src/protocols/rest/index.js';
import { type KmsHarness, makeKms } from '../support/kms-harness.js';

export const ROOT_TOKEN = 'cus_test-root-token-for-the-http-harness';

export interface HttpHarness {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly h: KmsHarness;
  readonly logLines: string[];
  close(): Promise<void>;
}

/**
 * The real HTTP server (createHttpServer: error handler, limits, request log,
 * authentication hook, /api/v1 with the REST API) over a test service,
 * listening on an ephemeral loopback port. One token is known: ROOT_TOKEN.
 */
export async function startHttp(
  overrides: Partial<Pick<HttpServerOptions, 'limits' | 'protection' | 'api' | 'doors'>> & {
    logLevel?: string;
  } = {},
): Promise<HttpHarness> {
  const h = await makeKms();
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const app = await createHttpServer({
    kms: h.kms,
    logger: createLogger({ level: overrides.logLevel ?? 'info', destination }),
    limits: overrides.limits ?? {
      bodyBytes: 1024 * 1024,
      requestTimeoutMs: 30_000,
      connectionTimeoutMs: 10_000,
    },
    authenticator: {
      token: (token) =>
        token === ROOT_TOKEN
          ? Promise.resolve(ROOT_PRINCIPAL)
          : Promise.reject(new UnauthenticatedError('the token is invalid, expired or revoked')),
    },
    health: {
      probe: () => Promise.resolve({ initialized: true, sealed: false, store: 'ok' }),
      version: 'test',
    },
    ...(overrides.protection !== undefined && { protection: overrides.protection }),
    api: overrides.api ?? [
      async (api) => {
        await api.register(restApi);
      },
    ],
    ...(overrides.doors !== undefined && { doors: overrides.doors }),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url,
    h,
    logLines,
    async close() {
      await app.close();
      await h.close();
    },
  };
}

/** JSON request with the root token (unless `token` says otherwise); the parsed body. */
export async function request(
  harness: HttpHarness,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? ROOT_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined && {
      body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}
