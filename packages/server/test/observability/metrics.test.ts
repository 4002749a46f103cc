import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NotFoundError,
  ThrottledError,
  UnavailableError,
  isKmsError,
} from '../../src/core/errors.js';
import { Metrics } from '../../src/ops/metrics.js';
import { nameOperation, requestMetrics } from '../../src/ops/request-metrics.js';
import { metricsRoute } from '../../src/protocols/health/metrics-route.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The value of one sample line, e.g. `custos_errors_total{code="NOT_FOUND"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function serve(metrics: Metrics): Promise<FastifyInstance> {
  const server = Fastify({ logger: false });
  await server.register(requestMetrics, { metrics, api: 'rest' });
  await server.register(metricsRoute, { metrics });
  // The doors' error tables map codes to statuses; two rows suffice here.
  server.setErrorHandler((error, _request, reply) => {
    const status = isKmsError(error)
      ? { NOT_FOUND: 404, THROTTLED: 429 }[error.code as string]
      : 500;
    return reply.code(status ?? 500).send({ code: isKmsError(error) ? error.code : 'INTERNAL' });
  });
  server.post('/keys/:key/encrypt', { config: { operation: 'encrypt' } }, () => ({ ok: true }));
  server.get('/keys/:key', { config: { operation: 'describeKey' } }, () => {
    throw new NotFoundError('key does not exist');
  });
  server.post('/', { config: { api: 'aws', operation: 'encrypt' } }, () => {
    throw new ThrottledError('slow down');
  });
  server.post('/one-door', { config: { api: 'aws' } }, (request) => {
    nameOperation(request, String(request.headers['x-target']));
    return { ok: true };
  });
  server.get('/boom', () => {
    throw new Error('unexpected');
  });
  return server;
}

describe('metrics', () => {
  it('counts requests by api, operation and outcome, and errors by code', async () => {
    const metrics = new Metrics({ processMetrics: false });
    app = await serve(metrics);
    for (let i = 0; i < 3; i += 1) await app.inject({ method: 'POST', url: '/keys/k/encrypt' });
    await app.inject({ method: 'GET', url: '/keys/k' });
    await app.inject({ method: 'POST', url: '/' });
    await app.inject({ method: 'GET', url: '/boom' });
    await app.inject({ method: 'POST', url: '/one-door', headers: { 'x-target': 'sign' } });
    const scrape = await app.inject({ method: 'GET', url: '/metrics' });
    expect(scrape.statusCode).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = scrape.body;
    expect(
      sample(text, 'custos_requests_total{api="rest",operation="encrypt",outcome="success"}'),
    ).toBe(3);
    expect(
      sample(
        text,
        'custos_requests_total{api="rest",operation="describeKey",outcome="client_error"}',
      ),
    ).toBe(1);
    expect(
      sample(text, 'custos_requests_total{api="aws",operation="encrypt",outcome="client_error"}'),
    ).toBe(1);
    expect(
      sample(text, 'custos_requests_total{api="rest",operation="other",outcome="server_error"}'),
    ).toBe(1);
    expect(
      sample(text, 'custos_request_duration_seconds_count{api="rest",operation="encrypt"}'),
    ).toBe(3);
    expect(
      sample(
        text,
        'custos_request_duration_seconds_bucket{le="+Inf",api="rest",operation="encrypt"}',
      ),
    ).toBe(3);
    expect(
      sample(text, 'custos_requests_total{api="aws",operation="sign",outcome="success"}'),
    ).toBe(1);
    expect(sample(text, 'custos_errors_total{code="NOT_FOUND"}')).toBe(1);
    expect(sample(text, 'custos_errors_total{code="THROTTLED"}')).toBe(1);
    expect(sample(text, 'custos_errors_total{code="INTERNAL"}')).toBe(1);
    expect(sample(text, 'custos_errors_total{code="SEALED"}')).toBe(0);
  });

  it('reads the sealed and key-count gauges at scrape time', async () => {
    let sealed = true;
    const counts: Record<string, number> = { Enabled: 4, PendingDeletion: 1 };
    const metrics = new Metrics({
      processMetrics: false,
      sealed: () => sealed,
      countKeysByState: () => Promise.resolve(counts),
    });
    let text = await metrics.render();
    expect(sample(text, 'custos_sealed')).toBe(1);
    expect(sample(text, 'custos_keys{state="Enabled"}')).toBe(4);
    expect(sample(text, 'custos_keys{state="PendingDeletion"}')).toBe(1);
    expect(sample(text, 'custos_keys{state="Disabled"}')).toBe(0);
    sealed = false;
    counts.Enabled = 5;
    text = await metrics.render();
    expect(sample(text, 'custos_sealed')).toBe(0);
    expect(sample(text, 'custos_keys{state="Enabled"}')).toBe(5);
  });

  it('keeps the last key counts when the store does not answer a scrape', async () => {
    let fail = false;
    const metrics = new Metrics({
      processMetrics: false,
      countKeysByState: () =>
        fail ? Promise.reject(new UnavailableError('store down')) : Promise.resolve({ Enabled: 2 }),
    });
    expect(sample(await metrics.render(), 'custos_keys{state="Enabled"}')).toBe(2);
    fail = true;
    expect(sample(await metrics.render(), 'custos_keys{state="Enabled"}')).toBe(2);
  });

  it('keeps each server in its own registry, with process metrics unless turned off', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.countError('CONFLICT');
    expect(sample(await a.render(), 'custos_errors_total{code="CONFLICT"}')).toBe(1);
    expect(sample(await b.render(), 'custos_errors_total{code="CONFLICT"}')).toBe(0);
    expect(await a.render()).toMatch(/^process_cpu_user_seconds_total /m);
  });
});
