import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES, NotFoundError } from '../../src/core/errors.js';
import { RouteCatalogue } from '../../src/protocols/rest/catalogue.js';
import { REST_ERRORS, restErrorHandler } from '../../src/protocols/rest/problem.js';
import { defineRoute, registerRoutes } from '../../src/protocols/rest/route.js';

const echo = defineRoute({
  method: 'POST',
  path: '/things/:id',
  operationId: 'echo',
  summary: 'Echo',
  tag: 'Test',
  params: z.strictObject({ id: z.string().min(1) }),
  query: z.strictObject({ n: z.coerce.number().int().optional() }),
  body: z.strictObject({ name: z.string().max(8) }),
  response: z.strictObject({ id: z.string(), name: z.string(), n: z.number().optional() }),
  handler: ({ params, query, body }) =>
    Promise.resolve({ id: params.id, name: body.name, ...query }),
});
const missing = defineRoute({
  method: 'POST',
  path: '/missing',
  operationId: 'missing',
  summary: 'Always not found',
  tag: 'Test',
  handler: () => Promise.reject(new NotFoundError('no such thing')),
});
const boom = defineRoute({
  method: 'GET',
  path: '/boom',
  operationId: 'boom',
  summary: 'Unexpected failure',
  tag: 'Test',
  handler: () => Promise.reject(new Error('secret-plaintext-in-message')),
});
const old = defineRoute({
  method: 'GET',
  path: '/old',
  operationId: 'old',
  summary: 'Deprecated',
  tag: 'Test',
  deprecated: {
    since: new Date('2025-01-01T00:00:00Z'),
    sunset: new Date('2027-01-01T00:00:00Z'),
    link: 'https://custos.dev/docs/new',
  },
  response: z.strictObject({ ok: z.boolean() }),
  handler: () => Promise.resolve({ ok: true }),
});

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function makeApp(): Promise<FastifyInstance> {
  const instance = Fastify({ bodyLimit: 1024 });
  instance.decorate('restCatalogue', new RouteCatalogue());
  instance.setErrorHandler(restErrorHandler);
  await instance.register(
    (scope) => {
      registerRoutes(scope, [echo, missing, boom, old], { checkResponses: true });
      return Promise.resolve();
    },
    { prefix: '/api/v1' },
  );
  await instance.ready();
  app = instance;
  return instance;
}

describe('route helper', () => {
  it('validates and passes params, query and body', async () => {
    const res = await (
      await makeApp()
    ).inject({
      method: 'POST',
      url: '/api/v1/things/a1?n=3',
      payload: { name: 'x' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'a1', name: 'x', n: 3 });
  });

  it('reports the zod issue path, not the value', async () => {
    const res = await (
      await makeApp()
    ).inject({
      method: 'POST',
      url: '/api/v1/things/a1',
      payload: { name: 'much-too-long-value' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json<Record<string, unknown>>();
    expect(problem).toMatchObject({ code: 'INVALID_INPUT', status: 400, field: 'body.name' });
    expect(res.body).not.toContain('much-too-long-value');
  });

  it('rejects unknown fields', async () => {
    const res = await (
      await makeApp()
    ).inject({
      method: 'POST',
      url: '/api/v1/things/a1',
      payload: { name: 'x', extra: 1 },
    });
    expect(res.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'body' });
  });

  it('renders KmsErrors by code', async () => {
    const res = await (await makeApp()).inject({ method: 'POST', url: '/api/v1/missing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      type: 'https://custos.dev/errors/NOT_FOUND',
      title: 'Not found',
      code: 'NOT_FOUND',
      detail: 'no such thing',
    });
  });

  it('refuses a body on a route that takes none', async () => {
    const res = await (
      await makeApp()
    ).inject({
      method: 'POST',
      url: '/api/v1/missing',
      payload: { a: 1 },
    });
    expect(res.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'body' });
  });

  it('hides unknown errors behind a generic INTERNAL problem', async () => {
    const res = await (await makeApp()).inject({ method: 'GET', url: '/api/v1/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'INTERNAL', detail: 'an unexpected error occurred' });
    expect(res.body).not.toContain('secret-plaintext');
  });

  it('renders malformed JSON, oversized bodies and wrong media types as problems', async () => {
    const instance = await makeApp();
    const malformed = await instance.inject({
      method: 'POST',
      url: '/api/v1/things/a',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "plaintext-secret"',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'INVALID_INPUT', title: 'Malformed JSON' });
    expect(malformed.body).not.toContain('plaintext-secret');
    const large = await instance.inject({
      method: 'POST',
      url: '/api/v1/things/a',
      payload: { name: 'x'.repeat(2000) },
    });
    expect(large.statusCode).toBe(413);
    expect(large.json()).toMatchObject({ code: 'INVALID_INPUT', status: 413 });
    const media = await instance.inject({
      method: 'POST',
      url: '/api/v1/things/a',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(media.statusCode).toBe(415);
    expect(media.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('sends Deprecation, Sunset and Link on deprecated routes', async () => {
    const res = await (await makeApp()).inject({ method: 'GET', url: '/api/v1/old' });
    expect(res.headers.deprecation).toBe('@1735689600');
    expect(res.headers.sunset).toBe('Fri, 01 Jan 2027 00:00:00 GMT');
    expect(res.headers.link).toBe('<https://custos.dev/docs/new>; rel="deprecation"');
  });

  it('lists registered routes in the catalogue with their prefix', async () => {
    const instance = await makeApp();
    const paths = instance.restCatalogue.routes().map((r) => `${r.doc.method} ${r.fullPath}`);
    expect(paths).toContain('POST /api/v1/things/:id');
    expect(paths).toHaveLength(4);
  });

  it('maps every error code to a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) {
      expect(REST_ERRORS[code].status).toBeGreaterThanOrEqual(400);
    }
  });
});
