import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { describeCrud } from './conformance/crud.js';
import type { ConformanceContext } from './conformance/fixtures.js';
import { describeIdentity } from './conformance/identity.js';
import { describeKeyAccess } from './conformance/key-access.js';
import { describeListing } from './conformance/listing.js';
import { describePurge } from './conformance/purge.js';
import { describeTransactions } from './conformance/transactions.js';

export interface ConformanceOptions {
  /**
   * Opens the storage behind a store again after closing it (a file, a
   * database). Omit it for storage that lives only as long as its connection.
   */
  readonly reopen?: (closed: Store) => Promise<Store>;
}

/**
 * The behaviour every Store adapter owes the service layer, as one suite that
 * each adapter's test file runs against its own storage. Each test gets a
 * fresh, empty store from `openStore` and it is closed afterwards.
 *
 * @example
 * describeStoreConformance('sqlite :memory:', () => openSqliteStore({ path: ':memory:' }));
 */
export function describeStoreConformance(
  name: string,
  openStore: () => Promise<Store>,
  options: ConformanceOptions = {},
): void {
  describe(`Store conformance: ${name}`, () => {
    let current: Store | undefined;
    const { reopen } = options;
    const context: ConformanceContext = {
      store: () => {
        if (current === undefined) throw new Error('no store is open');
        return current;
      },
      reopen:
        reopen === undefined
          ? undefined
          : async () => {
              const closed = context.store();
              await closed.close();
              current = await reopen(closed);
              return current;
            },
    };

    beforeEach(async () => {
      current = await openStore();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    describeCrud(context);
    describeListing(context);
    describeTransactions(context);
    describeIdentity(context);
    describeKeyAccess(context);
    describePurge(context);
  });
}
