import type { FastifyRequest } from 'fastify';
import { AccessDeniedError, type KmsError } from '../../../core/errors.js';
import type { Principal } from '../../../core/principal.js';
import type { ReplayStore } from '../../../ops/replay-store.js';
import {
  NONCE_HEADER,
  type ReplayHeaders,
  TIMESTAMP_HEADER,
  parseReplayHeaders,
} from './replay-headers.js';

export interface ReplayGuardOptions {
  readonly store: ReplayStore;
  /**
   * Whether this principal must send the headers (its policy's
   * requireReplayProtection condition). Requests that send them are checked
   * either way. Default: nobody is required to.
   */
  readonly requiresReplayProtection?: (principal: Principal) => boolean;
  /** How far a timestamp may be from server time; 5 minutes by default. */
  readonly maxSkewMs?: number;
  /** How long a nonce is remembered; at least (and by default) twice maxSkewMs. */
  readonly nonceTtlMs?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number;
}

const DEFAULT_SKEW_MS = 5 * 60_000;

/**
 * Refuses replayed requests. A request carries a fresh nonce and the time it
 * was made; the nonce is remembered for twice the allowed skew, so by the
 * time it is forgotten any replay of it has a timestamp outside the window.
 * Failures are ACCESS_DENIED (the credential is fine, this request is not
 * acceptable) with a `reason` detail: `replay-protection-required`,
 * `stale-timestamp` or `replayed`; malformed headers are INVALID_INPUT.
 */
export class ReplayGuard {
  readonly #store: ReplayStore;
  readonly #requires: (principal: Principal) => boolean;
  readonly #maxSkewMs: number;
  readonly #nonceTtlMs: number;
  readonly #now: () => number;

  constructor(options: ReplayGuardOptions) {
    this.#store = options.store;
    this.#requires = options.requiresReplayProtection ?? (() => false);
    this.#maxSkewMs = options.maxSkewMs ?? DEFAULT_SKEW_MS;
    this.#nonceTtlMs = options.nonceTtlMs ?? 2 * this.#maxSkewMs;
    this.#now = options.now ?? Date.now;
    /* Precondition: a nonce outlives every timestamp that could carry it (±skew). */
    if (this.#nonceTtlMs < 2 * this.#maxSkewMs) {
      throw new TypeError('nonceTtlMs must be at least twice maxSkewMs, or replays slip through');
    }
  }

  /**
   * The synchronous part: the request's headers, parsed and within the time
   * window; undefined when it sent none and this principal need not.
   */
  inspect(request: FastifyRequest, principal: Principal): ReplayHeaders | undefined {
    const headers = parseReplayHeaders(
      request.headers[NONCE_HEADER],
      request.headers[TIMESTAMP_HEADER],
    );
    if (headers === undefined) {
      if (!this.#requires(principal)) return undefined;
      throw denied(
        'this principal must send X-Custos-Nonce and X-Custos-Timestamp',
        'replay-protection-required',
      );
    }
    if (Math.abs(this.#now() - headers.timestampMs) > this.#maxSkewMs) {
      throw denied('X-Custos-Timestamp is too far from server time', 'stale-timestamp');
    }
    return headers;
  }

  /** Remembers the nonce; ACCESS_DENIED if it was seen before. */
  async claim(headers: ReplayHeaders, principal: Principal): Promise<void> {
    // Scoped by principal: one caller cannot use up another's nonces.
    const fresh = await this.#store.claim(
      `${principal.id}\u0000${headers.nonce}`,
      this.#nonceTtlMs,
    );
    if (!fresh) throw denied('replayed request: this nonce was already used', 'replayed');
  }

  /** True when the request carried a fresh nonce and timestamp, false when it carried none. */
  async check(request: FastifyRequest, principal: Principal): Promise<boolean> {
    const headers = this.inspect(request, principal);
    if (headers === undefined) return false;
    await this.claim(headers, principal);
    return true;
  }
}

function denied(message: string, reason: string): KmsError {
  return new AccessDeniedError(message, { details: { reason } });
}
