import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/ops/metrics.js';
import { RequestSeries } from '../../src/ops/request-series.js';

const BUCKETS = [0.0005, 0.001, 0.01, 0.1, 1];
const OUTCOMES: Outcome[] = ['success', 'client_error', 'server_error'];

/** prom-client's own rendering of the same observations: the oracle. */
async function promClient(observations: readonly [string, string, Outcome, number][]) {
  const registry = new Registry();
  const counter = new Counter({
    name: 'req_total',
    help: 'h1',
    labelNames: ['api', 'operation', 'outcome'],
    registers: [registry],
  });
  const histogram = new Histogram({
    name: 'req_seconds',
    help: 'h2',
    labelNames: ['api', 'operation'],
    buckets: BUCKETS,
    registers: [registry],
  });
  for (const [api, operation, outcome, seconds] of observations) {
    counter.inc({ api, operation, outcome });
    histogram.observe({ api, operation }, seconds);
  }
  return (await registry.metrics()).split('\n').filter((line) => line !== '');
}

function ours(observations: readonly [string, string, Outcome, number][]) {
  const series = new RequestSeries(
    { name: 'req_total', help: 'h1' },
    { name: 'req_seconds', help: 'h2', buckets: BUCKETS },
  );
  for (const [api, operation, outcome, seconds] of observations) {
    series.observe(api, operation, outcome, seconds);
  }
  return series.render();
}

describe('RequestSeries', () => {
  it('writes what prom-client writes for the same requests (zero outcomes aside)', async () => {
    const label = fc.constantFrom('rest', 'aws', 'en"crypt', 'back\\slash', 'new\nline');
    const observation = fc.tuple(
      label,
      label,
      fc.constantFrom(...OUTCOMES),
      fc.oneof(fc.constantFrom(...BUCKETS), fc.double({ min: 0, max: 5, noNaN: true })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 30 }), async (observations) => {
        const text = ours(observations);
        expect(text.endsWith('\n')).toBe(true);
        const lines = text.split('\n').filter((line) => line !== '');
        // prom-client writes a counter's series only once counted; ours are all there from the first request.
        const counted = lines.filter((line) => !/^req_total\{.*\} 0$/.test(line));
        const expected = await promClient(observations);
        expect(new Set(counted)).toEqual(new Set(expected));
        expect(counted).toHaveLength(expected.length);
      }),
      { numRuns: 200 },
    );
  });

  it('puts a value on a bound into that bound\'s bucket (le is "less than or equal")', () => {
    const text = ours([['rest', 'encrypt', 'success', 0.001]]);
    expect(text).toContain('req_seconds_bucket{le="0.0005",api="rest",operation="encrypt"} 0');
    expect(text).toContain('req_seconds_bucket{le="0.001",api="rest",operation="encrypt"} 1');
    expect(text).toContain('req_total{api="rest",operation="encrypt",outcome="client_error"} 0');
  });
});
