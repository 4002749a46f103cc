import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authentication } from '../../src/protocols/http/authenticate.js';
import { RouteCatalogue } from '../../src/protocols/rest/catalogue.js';
import { identityRoutes } from '../../src/protocols/rest/identity-routes.js';
import { openApiDocument } from '../../src/protocols/rest/openapi.js';
import { restErrorHandler } from '../../src/protocols/rest/problem.js';
import { authenticateToken, createRootToken } from '../../src/service/identity/index.js';
import { type IdentityHarness, makeIdentityKms } from './harness.js';

describe('identity REST routes', () => {
  let h: IdentityHarness;
  let app: FastifyInstance;
  let base: string;
  let rootToken: string;
  const catalogue = new RouteCatalogue();

  beforeAll(async () => {
    h = await makeIdentityKms();
    rootToken = (await createRootToken(h.kms)).token;
    app = Fastify();
    app.decorate('kms', h.kms);
    app.setErrorHandler(restErrorHandler);
    await app.register(authentication, {
      authenticator: { token: (token) => authenticateToken(h.kms, token) },
    });
    await app.register(identityRoutes, { prefix: '/api/v1', catalogue, checkResponses: true });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
    base = `http://127.0.0.1:${String(address.port)}/api/v1`;
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  async function call(
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const token = options.token === undefined ? rootToken : options.token;
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token !== null && { authorization: `Bearer ${token}` }),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      headers: response.headers,
    };
  }

  it('creates, lists, describes and deletes principals', async () => {
    const created = await call('POST', '/principals', { body: { id: 'user/alice', kind: 'user' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('api-version')).toBe('1');
    expect(created.body).toMatchObject({
      id: 'user/alice',
      kind: 'user',
      policies: [],
      disabled: false,
    });
    const listed = await call('GET', '/principals?limit=10');
    expect((listed.body.principals as { id: string }[]).map((p) => p.id)).toEqual([
      'root',
      'user/alice',
    ]);
    const mapped = await call('POST', '/principals/user%2Falice/certificates', {
      body: { fingerprint256: 'ab'.repeat(32) },
    });
    expect(mapped.status).toBe(201);
    const described = await call('GET', '/principals/user%2Falice');
    expect(described.status).toBe(200);
    expect(described.body.certificates).toHaveLength(1);
    expect((await call('DELETE', `/certificates/fingerprint/${'ab'.repeat(32)}`)).status).toBe(204);
    expect((await call('DELETE', '/principals/user%2Falice')).status).toBe(204);
    const gone = await call('GET', '/principals/user%2Falice');
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(gone.body).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('issues a token shown once, looks itself up, revokes it', async () => {
    await call('POST', '/principals', { body: { id: 'service/app', kind: 'service' } });
    const issued = await call('POST', '/tokens', {
      body: { principal: 'service/app', ttl: '1h', displayName: 'ci' },
    });
    expect(issued.status).toBe(201);
    const token = issued.body.token as string;
    expect(token).toMatch(/^cus_/);
    expect(issued.body.expiresAt).toBe(new Date(h.clock.now().getTime() + 3_600_000).toISOString());

    const self = await call('GET', '/tokens/self', { token });
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({
      id: 'service/app',
      kind: 'service',
      token: { accessor: issued.body.accessor, displayName: 'ci' },
    });

    const listed = await call('GET', '/tokens?principal=service%2Fapp');
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((listed.body.tokens as unknown[]).length).toBe(1);

    expect((await call('DELETE', `/tokens/${issued.body.accessor as string}`)).status).toBe(204);
    const after = await call('GET', '/tokens/self', { token });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
  });

  it('puts, reads, replaces with If-Match and deletes policies', async () => {
    const doc = {
      version: '2026-11-01',
      statements: [{ sid: 'a', effect: 'allow', actions: ['kms:Encrypt'], resources: ['*'] }],
    };
    const created = await call('PUT', '/policies/app', { body: doc });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: 'app',
      rowVersion: 1,
      created: true,
      document: doc,
    });
    expect(created.headers.get('etag')).toBe('"1"');
    const read = await call('GET', '/policies/app');
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body.document).toEqual(doc);
    const replaced = await call('PUT', '/policies/app', {
      body: { ...doc, statements: [] },
      headers: { 'if-match': '"1"' },
    });
    expect(replaced.body).toMatchObject({ rowVersion: 2, created: false });
    const stale = await call('PUT', '/policies/app', { body: doc, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CONFLICT');
    const badHeader = await call('PUT', '/policies/app', {
      body: doc,
      headers: { 'if-match': '*x' },
    });
    expect(badHeader.body.code).toBe('INVALID_INPUT');
    const listed = await call('GET', '/policies');
    expect(listed.body.policies).toEqual([
      { name: 'app', rowVersion: 2, updatedAt: h.clock.now().toISOString() },
    ]);
    expect(
      (await call('DELETE', '/policies/app', { headers: { 'if-match': '"1"' } })).body.code,
    ).toBe('CONFLICT');
    expect((await call('DELETE', '/policies/app', { headers: { 'if-match': '"2"' } })).status).toBe(
      204,
    );
    expect((await call('GET', '/policies/app')).status).toBe(404);
  });

  it('refuses an invalid policy document naming the field, not the value', async () => {
    const bad = await call('PUT', '/policies/app', {
      body: {
        version: '2026-11-01',
        statements: [{ effect: 'allow', actions: ['kms:Encrpyt'], resources: ['*'] }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_INPUT' });
    expect(String(bad.body.detail)).toContain('statements');
    expect(String(bad.body.detail)).not.toContain('Encrpyt');
  });

  it('answers anonymous callers 403 on administration and 401 on /tokens/self', async () => {
    const denied = await call('POST', '/principals', { token: null, body: { id: 'user/mallory' } });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('ACCESS_DENIED');
    expect((await call('GET', '/tokens/self', { token: null })).status).toBe(401);
    const forged = await call('GET', '/policies', { token: `cus_${'x'.repeat(43)}` });
    expect(forged.status).toBe(401);
  });

  it('lists every identity route in the OpenAPI document', () => {
    const doc = openApiDocument(catalogue.routes(), '/api/v1') as unknown as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const [path, method] of [
      ['/principals', 'post'],
      ['/principals', 'get'],
      ['/principals/{id}', 'get'],
      ['/principals/{id}', 'delete'],
      ['/tokens', 'post'],
      ['/tokens', 'get'],
      ['/tokens/self', 'get'],
      ['/tokens/{accessor}', 'delete'],
      ['/policies', 'get'],
      ['/policies/{name}', 'put'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
