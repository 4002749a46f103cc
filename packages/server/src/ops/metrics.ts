import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { ERROR_CODES, type ErrorCode } from '../core/errors.js';
import { KEY_STATES } from '../core/key.js';
import { RequestSeries } from './request-series.js';

/** Where the scrape-time gauges read from; app.ts wires them to the keyring and store. */
export interface MetricsSources {
  /** True while the server holds no key material. */
  readonly sealed?: () => boolean;
  /** Keys per lifecycle state, from one count query (never a listing). */
  readonly countKeysByState?: () => Promise<Readonly<Partial<Record<string, number>>>>;
}

export interface MetricsOptions extends MetricsSources {
  /** Process metrics (CPU, memory, event-loop lag, GC); on by default. */
  readonly processMetrics?: boolean;
}

/** Success, or whose side a failure is on; a small fixed set keeps series bounded. */
export type Outcome = 'success' | 'client_error' | 'server_error';

// KMS operations take well under a millisecond warm; the buckets start there.
const DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/**
 * The server's Prometheus metrics in a registry of their own (not
 * prom-client's global one), so several servers in one process, as in tests,
 * never share or clash.
 *
 * @example
 * const metrics = new Metrics({ sealed: () => keyring.sealed, countKeysByState: () => store.countKeysByState() });
 * metrics.observeRequest('rest', 'encrypt', 'success', 0.0007);
 * const text = await metrics.render();
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #requests = new RequestSeries(
    {
      name: 'custos_requests_total',
      help: 'Requests handled, by door, operation and outcome.',
    },
    {
      name: 'custos_request_duration_seconds',
      help: 'Time from receiving a request to finishing its response.',
      buckets: DURATION_BUCKETS,
    },
  );
  readonly #errors: Counter<'code'>;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.#errors = new Counter({
      name: 'custos_errors_total',
      help: 'Requests that failed, by stable error code (docs/errors.md).',
      labelNames: ['code'],
      registers,
    });
    // Every code from zero, so rate() sees the first error of a kind.
    for (const code of ERROR_CODES) this.#errors.inc({ code }, 0);
    this.#scrapeGauges(options);
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  #scrapeGauges(sources: MetricsSources): void {
    const { sealed, countKeysByState } = sources;
    new Gauge({
      name: 'custos_sealed',
      help: '1 while the server is sealed (holds no key material), else 0.',
      registers: [this.registry],
      collect() {
        if (sealed !== undefined) this.set(sealed() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'custos_keys',
      help: 'Keys by lifecycle state.',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        if (countKeysByState === undefined) return;
        let counts: Readonly<Partial<Record<string, number>>>;
        try {
          counts = await countKeysByState();
        } catch {
          // A store that does not answer must not fail the whole scrape: the
          // last counts stay, and /health/ready reports the store.
          return;
        }
        for (const state of KEY_STATES) this.set({ state }, counts[state] ?? 0);
      },
    });
  }

  observeRequest(api: string, operation: string, outcome: Outcome, seconds: number): void {
    this.#requests.observe(api, operation, outcome, seconds);
  }

  countError(code: ErrorCode): void {
    this.#errors.inc({ code });
  }

  /** The exposition text; scrape-time gauges are read now. */
  async render(): Promise<string> {
    const registered = await this.registry.metrics();
    return `${registered}${registered.endsWith('\n') ? '' : '\n'}\n${this.#requests.render()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
