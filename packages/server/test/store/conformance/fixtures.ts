import { randomUUID } from 'node:crypto';
import type { Alias, ImportToken, KeyRecord, KeyVersion } from '../../../src/core/key.js';
import type { Store, StoreWriter } from '../../../src/store/store.js';

/** What every conformance case gets: the store under test, and a way to reopen its storage. */
export interface ConformanceContext {
  /** The store opened for the current test. */
  readonly store: () => Store;
  /** Closes the store and opens its storage again; undefined when storage dies with the connection. */
  readonly reopen: (() => Promise<Store>) | undefined;
}

// Millisecond precision on purpose: the store must keep all of it.
const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

export function at(offsetMs: number): Date {
  return new Date(T0 + offsetMs);
}

export const DAY = 86_400_000;

export function newKey(overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id: randomUUID(),
    spec: 'AES_256',
    usage: 'ENCRYPT_DECRYPT',
    origin: 'CUSTOS',
    description: '',
    tags: {},
    state: 'Enabled',
    exportable: false,
    rotationPeriodDays: null,
    nextRotationAt: null,
    primaryVersion: 1,
    minDecryptionVersion: 1,
    deletionDate: null,
    createdAt: at(0),
    updatedAt: at(0),
    materialExpiresAt: null,
    attributes: {},
    rowVersion: 1,
    ...overrides,
  };
}

export function newVersion(
  keyId: string,
  version: number,
  overrides: Partial<KeyVersion> = {},
): KeyVersion {
  return {
    keyId,
    version,
    state: 'Enabled',
    createdAt: at(version),
    wrappedMaterial: Buffer.from(`wrapped-${keyId}-${version}`),
    publicKey: null,
    usageCount: 0,
    rowVersion: 1,
    ...overrides,
  };
}

export function newAlias(name: string, keyId: string, overrides: Partial<Alias> = {}): Alias {
  return { name, keyId, createdAt: at(10), updatedAt: at(10), ...overrides };
}

export function newImportToken(keyId: string, overrides: Partial<ImportToken> = {}): ImportToken {
  return {
    id: randomUUID(),
    keyId,
    wrappingAlgorithm: 'RSAES_OAEP_SHA_256',
    wrappingKeySpec: 'RSA_3072',
    wrappedPrivateKey: Buffer.from([0, 1, 2, 0xff, 0]),
    publicKey: Buffer.from([0x30, 0x82, 0x01, 0x22, 0]),
    expiresAt: at(DAY),
    createdAt: at(0),
    ...overrides,
  };
}

/** Inserts keys (and version 1 of each) in one transaction. */
export async function seedKeys(store: Store, keys: readonly KeyRecord[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const key of keys) {
      await tx.insertKey(key);
      await tx.insertVersion(newVersion(key.id, 1));
    }
  });
}

/** Runs one write in its own transaction. */
export function write<T>(store: Store, fn: (tx: StoreWriter) => Promise<T>): Promise<T> {
  return store.transaction(fn);
}

/** Pages through everything a list returns, checking each page's size. */
export async function collectPages<T>(
  list: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  limit: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await list(cursor);
    pages++;
    if (page.nextCursor !== null && page.items.length !== limit) {
      throw new Error(`a non-final page held ${page.items.length} items, not ${limit}`);
    }
    items.push(...page.items);
    if (page.nextCursor === null) return { items, pages };
    cursor = page.nextCursor;
  }
}

export function sortedIds(keys: readonly { readonly id: string }[]): string[] {
  return keys.map((k) => k.id).sort(compareCodeUnits);
}

/** Byte order equals UTF-16 code unit order for the ASCII ids and names used here. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Resolves after other queued work (timers, I/O, microtasks) had a chance to run. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
