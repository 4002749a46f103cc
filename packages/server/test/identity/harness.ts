import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyAuthorizer } from '../../src/authz/policy-authorizer.js';
import { ROOT_PRINCIPAL, type Principal } from '../../src/core/principal.js';
import { DevFileSeal } from '../../src/seal/dev-file-seal.js';
import { Keyring } from '../../src/seal/keyring.js';
import { ManualClock } from '../../src/service/clock.js';
import type { Kms, RequestContext } from '../../src/service/context.js';
import { createKms } from '../../src/service/kms.js';
import { initializeKms } from '../../src/service/seal-state.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export interface IdentityHarness {
  readonly kms: Kms;
  /** The root principal's context. */
  readonly root: RequestContext;
  readonly clock: ManualClock;
  readonly store: SqliteStore;
  readonly authorizer: PolicyAuthorizer;
  /** The SQLite database file. */
  readonly file: string;
  as(principal: Principal, extra?: Partial<RequestContext>): RequestContext;
  close(): Promise<void>;
}

/** An unsealed service on a fresh SQLite file, deciding by policies, with a manual clock. */
export async function makeIdentityKms(): Promise<IdentityHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'custos-identity-'));
  const file = join(dir, 'custos.db');
  const store = await openSqliteStore({ path: file });
  const keyring = new Keyring();
  const clock = new ManualClock();
  const authorizer = new PolicyAuthorizer();
  const kms = createKms({ store, keyring, clock, authorizer });
  await initializeKms(kms, await DevFileSeal.create(join(dir, 'root.key')));
  return {
    kms,
    root: { kms, principal: ROOT_PRINCIPAL, requestId: 'test' },
    clock,
    store,
    authorizer,
    file,
    as: (principal, extra = {}) => ({ kms, principal, requestId: 'test', ...extra }),
    async close() {
      await store.close();
      keyring.seal();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A principal as a door would hand it over, holding `policies`. */
export function user(id: string, policies: string[] = []): Principal {
  return { id, kind: 'user', policies };
}

/** Awaits `promise` and returns the code of the KmsError it rejects with. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error) return String(error.code);
    throw error;
  }
  throw new Error('expected the operation to fail');
}

/** Resolves after queued work (a background flush) had a chance to run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}
