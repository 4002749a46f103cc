import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { z } from 'zod';

export const tracingOptionsSchema = z.object({
  /**
   * OTLP/HTTP endpoint: a collector's base URL (`http://collector:4318`, to
   * which `/v1/traces` is added) or the full traces URL. Tracing is off without it.
   */
  otlpEndpoint: z.url({ protocol: /^https?$/ }).optional(),
  serviceName: z.string().min(1).default('custos'),
  /** Extra headers for the exporter, e.g. a collector's API key. */
  headers: z.record(z.string(), z.string()).default({}),
});
export type TracingOptions = z.input<typeof tracingOptionsSchema>;

/** A running tracer; `shutdown` exports what is buffered and stops. */
export interface Tracing {
  readonly tracer: Tracer;
  /** Exports every ended span now (tests, and before a graceful exit). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

function tracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured, else
 * returns undefined and nothing is loaded into the request path. Spans are
 * batched and exported over OTLP/HTTP. The provider is not registered
 * globally: no async-hooks context manager runs, and two servers in one
 * process (tests) keep separate pipelines; spans come from this tracer only.
 *
 * @example
 * const tracing = startTracing({ otlpEndpoint: 'http://127.0.0.1:4318' });
 * if (tracing) await app.register(requestTracing, { tracer: tracing.tracer });
 */
export function startTracing(options: TracingOptions): Tracing | undefined {
  const parsed = tracingOptionsSchema.parse(options);
  if (parsed.otlpEndpoint === undefined) return undefined;
  const exporter = new OTLPTraceExporter({
    url: tracesUrl(parsed.otlpEndpoint),
    headers: parsed.headers,
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': parsed.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    tracer: provider.getTracer('custos'),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
