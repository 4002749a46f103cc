import type { Outcome } from './metrics.js';

/** One (door, operation) pair: its outcome counts and its duration histogram. */
interface Series {
  readonly labels: string;
  success: number;
  client_error: number;
  server_error: number;
  /** Observations per bounded bucket, not cumulative; +Inf is `count`. */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** A Prometheus label value: backslash, double quote and newline escaped. */
function labelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A sample value as the text format writes it. */
function sampleValue(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : '-Inf';
}

const OUTCOMES: readonly Outcome[] = ['success', 'client_error', 'server_error'];

/**
 * `custos_requests_total` and `custos_request_duration_seconds`, which every
 * request updates. prom-client's label handling (validating, hashing the
 * label object into a key, looking each bucket up by its bound as a property
 * name) cost more per request than the metrics were worth; here a request
 * finds its series in two map lookups and increments plain numbers, and the
 * exposition text is written at scrape time, in prom-client's layout.
 *
 * @example
 * const series = new RequestSeries(
 *   { name: 'custos_requests_total', help: '…' },
 *   { name: 'custos_request_duration_seconds', help: '…', buckets: [0.001, 0.01] },
 * );
 * series.observe('rest', 'encrypt', 'success', 0.0007);
 * const text = series.render();
 */
export class RequestSeries {
  readonly #byApi = new Map<string, Map<string, Series>>();

  constructor(
    private readonly counter: { readonly name: string; readonly help: string },
    private readonly histogram: {
      readonly name: string;
      readonly help: string;
      readonly buckets: readonly number[];
    },
  ) {}

  observe(api: string, operation: string, outcome: Outcome, seconds: number): void {
    const series = this.#series(api, operation);
    series[outcome] += 1;
    const { buckets } = this.histogram;
    let i = 0;
    while (i < buckets.length && seconds > (buckets[i] ?? Infinity)) i += 1;
    if (i < buckets.length) series.buckets[i] = (series.buckets[i] ?? 0) + 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** Both metrics in the Prometheus text format (0.0.4), each block ending in a newline. */
  render(): string {
    const all = [...this.#byApi.values()].flatMap((ops) => [...ops.values()]);
    const { counter, histogram } = this;
    const lines = [`# HELP ${counter.name} ${counter.help}`, `# TYPE ${counter.name} counter`];
    for (const series of all) {
      for (const outcome of OUTCOMES) {
        lines.push(`${counter.name}{${series.labels},outcome="${outcome}"} ${series[outcome]}`);
      }
    }
    lines.push('', `# HELP ${histogram.name} ${histogram.help}`);
    lines.push(`# TYPE ${histogram.name} histogram`);
    for (const series of all) {
      let cumulative = 0;
      histogram.buckets.forEach((bound, i) => {
        cumulative += series.buckets[i] ?? 0;
        lines.push(
          `${histogram.name}_bucket{le="${sampleValue(bound)}",${series.labels}} ${cumulative}`,
        );
      });
      lines.push(`${histogram.name}_bucket{le="+Inf",${series.labels}} ${series.count}`);
      lines.push(`${histogram.name}_sum{${series.labels}} ${sampleValue(series.sum)}`);
      lines.push(`${histogram.name}_count{${series.labels}} ${series.count}`);
    }
    return `${lines.join('\n')}\n`;
  }

  #series(api: string, operation: string): Series {
    let ops = this.#byApi.get(api);
    if (ops === undefined) {
      ops = new Map();
      this.#byApi.set(api, ops);
    }
    let series = ops.get(operation);
    if (series === undefined) {
      series = {
        labels: `api="${labelValue(api)}",operation="${labelValue(operation)}"`,
        success: 0,
        client_error: 0,
        server_error: 0,
        buckets: new Array<number>(this.histogram.buckets.length).fill(0),
        sum: 0,
        count: 0,
      };
      ops.set(operation, series);
    }
    return series;
  }
}
