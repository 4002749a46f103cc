import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/core/errors.js';
import { requestTracing } from '../../src/ops/request-tracing.js';
import { type Tracing, startTracing } from '../../src/ops/tracing.js';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string };
}
interface OtlpSpan {
  name: string;
  kind: number;
  attributes: OtlpAttribute[];
  status?: { code?: number };
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

/** A stand-in OTLP/HTTP collector on an ephemeral loopback port. */
async function collector(): Promise<{
  url: string;
  exports: OtlpExport[];
  paths: string[];
  server: Server;
}> {
  const exports: OtlpExport[] = [];
  const paths: string[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      paths.push(
        `${request.method ?? ''} ${request.url ?? ''} ${request.headers['content-type'] ?? ''}`,
      );
      exports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}`, exports, paths, server };
}

function attr(span: OtlpSpan, key: string): string | number | undefined {
  const value = span.attributes.find((a) => a.key === key)?.value;
  if (value === undefined) return undefined;
  return value.stringValue ?? Number(value.intValue);
}

let app: FastifyInstance | undefined;
let tracing: Tracing | undefined;
let otlp: Server | undefined;
afterEach(async () => {
  await app?.close();
  await tracing?.shutdown();
  const server = otlp;
  if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  app = tracing = otlp = undefined;
});

describe('tracing', () => {
  it('is off unless an OTLP endpoint is configured', () => {
    expect(startTracing({})).toBeUndefined();
    expect(() => startTracing({ otlpEndpoint: 'ftp://x' })).toThrow();
  });

  it('exports one server span per request to an OTLP/HTTP receiver', async () => {
    const receiver = await collector();
    otlp = receiver.server;
    tracing = startTracing({ otlpEndpoint: receiver.url, serviceName: 'custos-test' });
    expect(tracing).toBeDefined();
    app = Fastify({ logger: false });
    await app.register(requestTracing, { tracer: tracing!.tracer, api: 'rest' });
    app.post('/api/v1/keys/:key/encrypt', { config: { operation: 'encrypt' } }, () => ({ ok: 1 }));
    app.get('/api/v1/keys/:key', { config: { operation: 'describeKey' } }, () => {
      throw new NotFoundError('no such key');
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/keys/k1/encrypt?x=secret',
      payload: { plaintext: 'AAAA' },
    });
    await app.inject({ method: 'GET', url: '/api/v1/keys/k2' });
    await tracing!.flush();

    expect(receiver.paths[0]).toMatch(/^POST \/v1\/traces application\/json/);
    const spans = receiver.exports.flatMap((e) =>
      e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    );
    expect(spans.map((s) => s.name).sort()).toEqual([
      'GET /api/v1/keys/:key',
      'POST /api/v1/keys/:key/encrypt',
    ]);
    const encrypt = spans.find((s) => s.name.startsWith('POST'))!;
    expect(encrypt.kind).toBe(2); // SERVER
    expect(attr(encrypt, 'custos.operation')).toBe('encrypt');
    expect(attr(encrypt, 'custos.api')).toBe('rest');
    expect(attr(encrypt, 'http.request.method')).toBe('POST');
    expect(attr(encrypt, 'http.route')).toBe('/api/v1/keys/:key/encrypt');
    expect(attr(encrypt, 'url.path')).toBe('/api/v1/keys/k1/encrypt');
    expect(attr(encrypt, 'http.response.status_code')).toBe(200);
    const describe = spans.find((s) => s.name.startsWith('GET'))!;
    expect(attr(describe, 'custos.error_code')).toBe('NOT_FOUND');
    expect(attr(describe, 'http.response.status_code')).toBe(500);
    expect(describe.status?.code).toBe(2); // ERROR: a bare Fastify answers 500
    const resource = receiver.exports[0]!.resourceSpans[0]!.resource.attributes;
    expect(resource.find((a) => a.key === 'service.name')?.value.stringValue).toBe('custos-test');
    // Nothing from the body or the query string reaches a span.
    expect(JSON.stringify(receiver.exports)).not.toMatch(/AAAA|secret/);
  });
});
