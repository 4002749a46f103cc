import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { ROOT_PRINCIPAL } from '../../src/core/principal.js';
import '../../src/protocols/http/request-context.js';
import { restApi } from '../../src/protocols/rest/index.js';
import type { Kms } from '../../src/service/context.js';
import { makeKms, type KmsHarness } from '../support/kms-harness.js';

export interface RestHarness {
  readonly app: FastifyInstance;
  readonly h: KmsHarness;
  /** JSON request under /api/v1; the response body parsed. */
  call(method: string, path: string, payload?: unknown): Promise<Reply>;
  close(): Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly raw: LightMyRequestResponse;
}

/**
 * The native API on a bare Fastify instance over a fresh test service, every
 * request as the root principal (authentication is another plugin's job).
 * Success bodies are checked against their response schemas.
 */
export async function makeApi(options: { bodyLimit?: number } = {}): Promise<RestHarness> {
  const h = await makeKms();
  const app = await mountApi(h.kms, options.bodyLimit);
  return {
    app,
    h,
    call: (method, path, payload) => call(app, method, path, payload),
    async close() {
      await app.close();
      await h.close();
    },
  };
}

export async function mountApi(kms: Kms, bodyLimit?: number): Promise<FastifyInstance> {
  const app = Fastify(bodyLimit === undefined ? {} : { bodyLimit });
  app.decorate('kms', kms);
  app.addHook('onRequest', (request, _reply, done) => {
    request.principal = ROOT_PRINCIPAL;
    done();
  });
  await app.register(restApi, { prefix: '/api/v1', checkResponses: true });
  await app.ready();
  return app;
}

export async function call(
  app: FastifyInstance,
  method: string,
  path: string,
  payload?: unknown,
): Promise<Reply> {
  const raw = await app.inject({
    method: method as 'GET',
    url: `/api/v1${path}`,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  const body = raw.body === '' ? {} : (JSON.parse(raw.body) as Record<string, unknown>);
  return { status: raw.statusCode, body, raw };
}

/** Asserts a problem+json answer and returns its code. */
export function problemCode(reply: Reply): string {
  const type = reply.raw.headers['content-type'];
  if (typeof type !== 'string' || !type.startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${String(type)} (${String(reply.status)})`);
  }
  return String(reply.body.code);
}

export const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');
export const unb64 = (text: unknown): Buffer => Buffer.from(String(text), 'base64');
