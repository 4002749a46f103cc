import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { StoreWriter } from '../../src/store/store.js';
import { newKey, tick, write } from './conformance/fixtures.js';

/** A promise and the function that resolves it, to hold a transaction open on cue. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('SqliteStore serialises access to its one connection', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = await openSqliteStore({ path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('holds reads issued during a transaction until it commits', async () => {
    const key = newKey();
    const held = gate();
    const events: string[] = [];
    const tx = store.transaction(async (w) => {
      await w.insertKey(key);
      await held.wait;
      events.push('commit');
    });
    await tick();
    const read = store.getKey(key.id).then((k) => {
      events.push('read');
      return k;
    });
    await tick();
    expect(events).toEqual([]);
    held.open();
    await tx;
    expect(await read).toEqual(key);
    expect(events).toEqual(['commit', 'read']);
  });

  it('serves queued calls in arrival order', async () => {
    const held = gate();
    const first = store.transaction(async (w) => {
      await held.wait;
      await w.putMeta('v', Buffer.from('1'));
    });
    await tick();
    // Each read sees exactly the transactions queued before it.
    const read1 = store.getMeta('v');
    const second = write(store, (w) => w.putMeta('v', Buffer.from('2')));
    const read2 = store.getMeta('v');
    held.open();
    await Promise.all([first, second]);
    expect((await read1)?.toString()).toBe('1');
    expect((await read2)?.toString()).toBe('2');
  });

  it('throws on a nested transaction and rolls the outer one back', async () => {
    const key = newKey();
    const attempt = store.transaction(async (w) => {
      await w.insertKey(key);
      await store.transaction((inner) => inner.deleteKey(key.id));
    });
    await expect(attempt).rejects.toBeInstanceOf(TypeError);
    expect(await store.getKey(key.id)).toBeUndefined();
  });

  it('throws, rather than deadlocks, on a store call from inside a transaction', async () => {
    const attempt = store.transaction(async () => {
      await store.getKey('x');
    });
    await expect(attempt).rejects.toBeInstanceOf(TypeError);
    await expect(store.transaction(() => store.addVersionUsage([]))).rejects.toBeInstanceOf(
      TypeError,
    );
    await expect(store.transaction(() => store.close())).rejects.toBeInstanceOf(TypeError);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('refuses a writer used after its transaction ended', async () => {
    let leaked: StoreWriter | undefined;
    await store.transaction((w) => {
      leaked = w;
      return Promise.resolve();
    });
    await expect(leaked!.insertKey(newKey())).rejects.toBeInstanceOf(TypeError);
    await expect(leaked!.getKey('x')).rejects.toBeInstanceOf(TypeError);
  });

  it('includes a write issued without await before the callback returned', async () => {
    const key = newKey();
    await store.transaction((w) => {
      void w.insertKey(key);
      return Promise.resolve();
    });
    expect(await store.getKey(key.id)).toEqual(key);
  });

  it('lets close wait for a transaction in progress, which commits', async () => {
    const key = newKey();
    const held = gate();
    const tx = store.transaction(async (w) => {
      await held.wait;
      await w.insertKey(key);
    });
    await tick();
    let closed = false;
    const closing = store.close().then(() => (closed = true));
    await tick();
    expect(closed).toBe(false);
    held.open();
    await tx;
    await closing;
    expect(closed).toBe(true);
    await expect(store.getKey(key.id)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('keeps working after transactions that failed', async () => {
    const key = newKey();
    await write(store, (w) => w.insertKey(key));
    await expect(write(store, (w) => w.insertKey(key))).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    await expect(
      store.transaction(() => Promise.reject(new RangeError('caller bug'))),
    ).rejects.toBeInstanceOf(RangeError);
    expect(await store.getKey(key.id)).toEqual(key);
    await write(store, (w) => w.updateKey({ ...key, description: 'still works' }));
    expect((await store.getKey(key.id))?.description).toBe('still works');
  });
});
