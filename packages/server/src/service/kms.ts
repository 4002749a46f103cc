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
}

/** Assembles the service's dependencies; app.ts chooses the adapters. */
export function createKms(options: CreateKmsOptions): Kms {
  return {
    store: options.store,
    keyring: options.keyring,
    clock: options.clock ?? systemClock,
    authorizer: options.authorizer ?? rootOnlyAuthorizer,
    cache: new KeyCache(),
    usage: new UsageRecorder(),
    config: { ...DEFAULT_KMS_CONFIG, ...options.config },
  };
}
