import type { AuditLog } from '../audit/audit-log.js';
import type { Door } from '../audit/record.js';
import type { Principal } from '../core/principal.js';
import type { Keyring } from '../seal/keyring.js';
import type { Store } from '../store/store.js';
import type { AuditScratch } from './audited.js';
import type { Authorizer } from './authorizer.js';
import type { Clock } from './clock.js';
import type { KeyCache } from './key-cache.js';
import type { UsageRecorder } from './usage-recorder.js';

export interface KmsConfig {
  /** Largest plaintext Encrypt accepts (AWS KMS: 4096). */
  readonly maxPlaintextBytes: number;
  /** How long import parameters stay valid. */
  readonly importTokenTtlMs: number;
  /** Page size when a list request names none. */
  readonly defaultPageSize: number;
  /** Grants one key may hold (AWS KMS: 50,000); all are held in memory for decisions. */
  readonly maxGrantsPerKey: number;
}

export const DEFAULT_KMS_CONFIG: KmsConfig = {
  maxPlaintextBytes: 4096,
  importTokenTtlMs: 24 * 3_600_000,
  defaultPageSize: 100,
  maxGrantsPerKey: 50_000,
};

/** Everything the operations need: the service's dependencies, chosen by app.ts. */
export interface Kms {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly clock: Clock;
  readonly authorizer: Authorizer;
  readonly cache: KeyCache;
  readonly usage: UsageRecorder;
  readonly config: KmsConfig;
  /** Where every operation's record goes (docs/audit.md); absent only when audit is off. */
  readonly audit?: AuditLog;
}

/** One request: who asks, through which door, with which dependencies. */
export interface RequestContext {
  readonly kms: Kms;
  readonly principal: Principal;
  readonly requestId: string;
  readonly sourceAddress?: string;
  /** The door verified a fresh nonce and timestamp on this request (policy condition). */
  readonly replayProtected?: boolean;
  /** Which door the request came through, for its audit record; `internal` when absent. */
  readonly door?: Door;
  /** Set by `audited()` for the duration of one operation; doors leave it out. */
  readonly audit?: AuditScratch;
}
