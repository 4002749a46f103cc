import { type AuditLog, type AuditLogOptions, StoreAuditLog } from '../audit/audit-log.js';
import type { Keyring } from '../seal/keyring.js';
import type { Store } from '../store/store.js';
import { type Authorizer, rootOnlyAuthorizer } from './authorizer.js';
import { type Clock, systemClock } from './clock.js';
import { DEFAULT_KMS_CONFIG, type Kms, type KmsConfig } from './context.js';
import { KeyCache } from './key-cache.js';
import { UsageRecorder } from './usage-recorder.js';

export interface CreateKmsOptions {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly clock?: Clock;
  readonly authorizer?: Authorizer;
  readonly config?: Partial<KmsConfig>;
  /**
   * The audit log. Default: the hash-chained log in `store`, configured by
   * `auditOptions`. Tests inject their own; `false` turns auditing off, which
   * only benchmarks measuring its cost should do.
   */
  readonly audit?: AuditLog | false;
  readonly auditOptions?: Omit<AuditLogOptions, 'store' | 'keyring'>;
}

/** Assembles the service's dependencies; app.ts chooses the adapters. */
export function createKms(options: CreateKmsOptions): Kms {
  const clock = options.clock ?? systemClock;
  return {
    store: options.store,
    keyring: options.keyring,
    clock,
    authorizer: options.authorizer ?? rootOnlyAuthorizer,
    cache: new KeyCache(),
    usage: new UsageRecorder(),
    config: { ...DEFAULT_KMS_CONFIG, ...options.config },
    ...(options.audit !== false && { audit: options.audit ?? defaultAuditLog(options, clock) }),
  };
}

function defaultAuditLog(options: CreateKmsOptions, clock: Clock): AuditLog {
  return new StoreAuditLog({
    now: () => clock.now(),
    ...options.auditOptions,
    store: options.store,
    keyring: options.keyring,
  });
}
