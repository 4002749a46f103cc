import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../src/protocols/rest/openapi.js';
import Fastify from 'fastify';
import {
  docsRoutes,
  KEY_API_ROUTES,
  restApi,
  RouteCatalogue,
} from '../../src/protocols/rest/index.js';
import { makeKms } from '../support/kms-harness.js';
import { makeApi, problemCode, type RestHarness } from './rest-harness.js';

let api: RestHarness;
beforeAll(async () => {
  api = await makeApi();
});
afterAll(async () => {
  await api.close();
});

interface Operation {
  operationId: string;
  deprecated?: boolean;
  parameters: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
interface Doc {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document listing every route with its parameters', async () => {
    const res = await api.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as unknown as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
    for (const route of KEY_API_ROUTES) {
      const op = doc.paths[openApiPath(route.doc.path)]?.[route.doc.method.toLowerCase()];
      expect(op?.operationId, `${route.doc.method} ${route.doc.path}`).toBe(route.doc.operationId);
      for (const name of route.doc.path.match(/:(\w+)/g) ?? []) {
        expect(op?.parameters).toContainEqual(
          expect.objectContaining({ name: name.slice(1), in: 'path' }),
        );
      }
      expect(op?.responses).toHaveProperty('default');
    }
    const ids = Object.values(doc.paths).flatMap((methods) =>
      Object.values(methods).map((o) => o.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(KEY_API_ROUTES.length);
  });

  it('names shared schemas in components and references them', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body as unknown as Doc;
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['KeyView', 'KeyVersion', 'Problem', 'EncryptionContext', 'Alias']),
    );
    const text = JSON.stringify(doc);
    expect(text).not.toContain('#/$defs/');
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      expect(doc.components.schemas, String(name)).toHaveProperty(String(name));
    }
    const encrypt = doc.paths['/keys/{key}/encrypt']?.post;
    expect(JSON.stringify(encrypt?.requestBody)).toContain('"contentEncoding":"base64"');
    expect(doc.paths['/keys/{key}/public-key']?.get?.parameters).toContainEqual(
      expect.objectContaining({ name: 'format', in: 'query', required: false }),
    );
  });

  it('marks the deprecated alias route', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body as unknown as Doc;
    expect(doc.paths['/keys/{key}/generate-data-key']?.post?.deprecated).toBe(true);
    expect(doc.paths['/keys/{key}/data-key']?.post?.deprecated).toBeUndefined();
  });
});

describe('GET /api/v1/docs', () => {
  it('renders a self-contained HTML page with every route, grouped by tag', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/^<!doctype html>/);
    expect(res.body).not.toMatch(/<script|https?:\/\/(?!custos\.dev)/);
    for (const route of KEY_API_ROUTES) {
      expect(res.body).toContain(`/api/v1${openApiPath(route.doc.path)}`);
    }
    for (const tag of ['Keys', 'Encryption', 'Batch', 'Aliases']) {
      expect(res.body).toContain(`<h2 id="${tag}">`);
    }
    expect(res.body).toContain('<span class="badge">deprecated</span>');
  });
});

describe('versioning and deprecation headers', () => {
  it('sends API-Version on successes, errors and unknown routes', async () => {
    const ok = await api.call('POST', '/random', { numberOfBytes: 4 });
    expect(ok.raw.headers['api-version']).toBe('1');
    const bad = await api.call('POST', '/random', { numberOfBytes: 'four' });
    expect(bad.raw.headers['api-version']).toBe('1');
    const unknown = await api.call('GET', '/no-such-route');
    expect(unknown.status).toBe(404);
    expect(problemCode(unknown)).toBe('NOT_FOUND');
    expect(unknown.raw.headers['api-version']).toBe('1');
  });

  it('the deprecated generate-data-key alias works and sends Deprecation, Sunset and Link', async () => {
    const keyId = String((await api.call('POST', '/keys', {})).body.keyId);
    const res = await api.call('POST', `/keys/${keyId}/generate-data-key`, { keySpec: 'AES_256' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ keyId, keyVersion: 1 });
    expect(res.raw.headers.deprecation).toBe(`@${String(Date.UTC(2026, 0, 1) / 1000)}`);
    expect(res.raw.headers.sunset).toBe('Fri, 01 Jan 2027 00:00:00 GMT');
    expect(res.raw.headers.link).toMatch(/rel="deprecation"/);
    const current = await api.call('POST', `/keys/${keyId}/data-key`, { keySpec: 'AES_256' });
    expect(current.raw.headers).not.toHaveProperty('deprecation');
    const failed = await api.call('POST', '/keys/alias%2Fnone/generate-data-key', {
      keySpec: 'AES_256',
    });
    expect(problemCode(failed)).toBe('NOT_FOUND');
    expect(failed.raw.headers).toHaveProperty('sunset');
  });
});

describe('a root /docs page sharing the catalogue', () => {
  it('lists the routes restApi registered under /api/v1', async () => {
    const h = await makeKms();
    const app = Fastify();
    try {
      app.decorate('kms', h.kms);
      const catalogue = new RouteCatalogue();
      await app.register(restApi, { prefix: '/api/v1', catalogue });
      await app.register(docsRoutes, { catalogue, apiPrefix: '/api/v1', serveDocument: false });
      const page = await app.inject({ url: '/docs' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('/api/v1/keys/{key}/encrypt');
      expect(page.body).toContain('href="/api/v1/openapi.json"');
      expect((await app.inject({ url: '/openapi.json' })).statusCode).toBe(404);
    } finally {
      await app.close();
      await h.close();
    }
  });
});

describe('docs/rest-api.md', () => {
  it('lists every key-operation route', () => {
    const text = readFileSync(new URL('../../../../docs/rest-api.md', import.meta.url), 'utf8');
    for (const route of KEY_API_ROUTES) {
      const row = `| \`${route.doc.method} ${openApiPath(route.doc.path)}`;
      expect(text.includes(`${row}\``) || text.includes(`${row}?`), row).toBe(true);
    }
  });
});
