import { PolicyAuthorizer } from './authz/policy-authorizer.js';
import type { Config } from './ops/config.js';
import { Metrics } from './ops/metrics.js';
import { MemoryReplayStore } from './ops/replay-store.js';
import { startTracing } from './ops/tracing.js';
import { metricsRoute } from './protocols/health/metrics-route.js';
import { protectionMounts } from './protocols/http/protection/mounts.js';
import type { Mount } from './protocols/http/server.js';
import type { Kms } from './service/context.js';

/** What app.ts hands createHttpServer for protection and observability. */
export interface AppTelemetry {
  /**
   * Tracing, metrics, throttles, rate limits and replay protection, in hook
   * order, then GET /metrics (public, so the authentication hook skips it).
   */
  readonly protection: Mount[];
  readonly metrics: Metrics;
}

/**
 * Builds the protection and observability mounts from the configuration:
 * the per-request time limit, in-memory limiters and nonce store (one node; Redis later), Prometheus
 * metrics read from the keyring and store at scrape time, and OpenTelemetry
 * tracing only when `tracing.otlpEndpoint` is set. The tracer is flushed and
 * stopped when the HTTP server closes.
 */
export function appTelemetry(kms: Kms, config: Config): AppTelemetry {
  const { limits } = config;
  const metrics = new Metrics({
    sealed: () => kms.keyring.sealed,
    countKeysByState: () => kms.store.countKeysByState(),
  });
  const tracing = startTracing(config.tracing);
  const { authorizer } = kms;
  const protection = protectionMounts({
    requestTimeoutMs: limits.requestTimeoutMs,
    rate: limits.rate,
    authFailures: limits.authFailures,
    replay: {
      store: new MemoryReplayStore(),
      maxSkewMs: limits.replay.maxSkewMs,
      nonceTtlMs: limits.replay.nonceTtlMs,
      ...(authorizer instanceof PolicyAuthorizer && {
        requiresReplayProtection: (principal) => authorizer.requiresReplayProtection(principal),
      }),
    },
    metrics,
    tracer: tracing?.tracer,
  });
  if (tracing !== undefined) {
    protection.push((app) => {
      app.addHook('onClose', () => tracing.shutdown());
      return Promise.resolve();
    });
  }
  protection.push(async (app) => {
    await app.register(metricsRoute, { metrics });
  });
  return { protection, metrics };
}
