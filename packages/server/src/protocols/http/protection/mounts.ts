import type { Tracer } from '@opentelemetry/api';
import type { Principal } from '../../../core/principal.js';
import type { Metrics } from '../../../ops/metrics.js';
import type { ReplayStore } from '../../../ops/replay-store.js';
import { requestMetrics } from '../../../ops/request-metrics.js';
import { requestTracing } from '../../../ops/request-tracing.js';
import type { Mount } from '../server.js';
import { type AuthThrottleOptions, authFailureThrottle } from './auth-throttle.js';
import { type RateLimitOptions, rateLimits } from './rate-limit.js';
import { replayProtection } from './replay-protection.js';
import { requestTimeout } from './request-timeout.js';

export interface ProtectionOptions {
  /** Per-request time limit (503 UNAVAILABLE when exceeded); 0 or absent: none. */
  readonly requestTimeoutMs?: number;
  readonly rate?: RateLimitOptions;
  readonly authFailures?: AuthThrottleOptions;
  readonly replay: {
    readonly store: ReplayStore;
    readonly maxSkewMs?: number;
    readonly nonceTtlMs?: number;
    readonly requiresReplayProtection?: (principal: Principal) => boolean;
  };
  readonly metrics?: Metrics;
  /** Only when tracing is configured: without it no tracing hook is installed. */
  readonly tracer?: Tracer | undefined;
  /** The door of routes that name none in their config. */
  readonly api?: string;
}

/**
 * The server's `protection` mounts, in the order their hooks must run: the
 * request time limit, tracing (its span covers everything after), metrics, the
 * failed-authentication throttle and the address limit at onRequest (before
 * the authentication hook the server adds next), then at preHandler, with
 * the principal known, the principal limit before replay protection, so a
 * throttled caller does not fill the nonce store.
 *
 * @example
 * const app = await createHttpServer({ …, protection: protectionMounts({ replay: { store }, metrics }) });
 */
export function protectionMounts(options: ProtectionOptions): Mount[] {
  const api = options.api ?? 'http';
  const mounts: Mount[] = [];
  const { tracer, metrics, requestTimeoutMs } = options;
  if (requestTimeoutMs !== undefined && requestTimeoutMs > 0) {
    mounts.push(async (app) => {
      await app.register(requestTimeout, { timeoutMs: requestTimeoutMs });
    });
  }
  if (tracer !== undefined) {
    mounts.push(async (app) => {
      await app.register(requestTracing, { tracer, api });
    });
  }
  if (metrics !== undefined) {
    mounts.push(async (app) => {
      await app.register(requestMetrics, { metrics, api });
    });
  }
  mounts.push(async (app) => {
    await app.register(authFailureThrottle, options.authFailures ?? {});
    await app.register(rateLimits, options.rate ?? {});
    await app.register(replayProtection, options.replay);
  });
  return mounts;
}
