import { describe, expect, it } from 'vitest';
import { isKmsError } from '../../../src/core/errors.js';
import {
  newAlias,
  newImportToken,
  newKey,
  newVersion,
  seedKeys,
  tick,
  write,
  type ConformanceContext,
} from './fixtures.js';

/** Settles both, asserting exactly one won and the other lost with CONFLICT. */
async function oneWins<T>(a: Promise<T>, b: Promise<T>): Promise<{ winner: 0 | 1; value: T }> {
  const results = await Promise.allSettled([a, b]);
  const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, value: r.value }] : []));
  const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  expect(lost[0]).toMatchObject({ code: 'CONFLICT' });
  return { winner: won[0]!.i === 0 ? 0 : 1, value: won[0]!.value };
}

/** Retries `attempt` on CONFLICT, as a service does after re-reading; returns the tries taken. */
async function withRetry(attempt: () => Promise<void>): Promise<number> {
  for (let tries = 1; ; tries++) {
    try {
      await attempt();
      return tries;
    } catch (error) {
      if (!isKmsError(error) || error.code !== 'CONFLICT' || tries > 50) throw error;
    }
  }
}

export function describeTransactions({ store, reopen }: ConformanceContext): void {
  describe('transactions', () => {
    it('returns what the callback returns', async () => {
      await expect(store().transaction(() => Promise.resolve(42))).resolves.toBe(42);
    });

    it('rolls back every write when the callback throws, and rethrows the same error', async () => {
      const existing = newKey({ description: 'before' });
      await seedKeys(store(), [existing]);
      const key = newKey();
      const token = newImportToken(key.id);
      const failure = new Error('boom');
      const attempt = store().transaction(async (tx) => {
        await tx.insertKey(key);
        await tx.insertVersion(newVersion(key.id, 1));
        await tx.insertAlias(newAlias('alias/rolled-back', key.id));
        await tx.putImportToken(token);
        await tx.putMeta('rolled-back', Buffer.from('x'));
        await tx.updateKey({ ...existing, description: 'after' });
        await tx.deleteKey(existing.id);
        await tick();
        throw failure;
      });
      await expect(attempt).rejects.toBe(failure);
      expect(await store().getKey(key.id)).toBeUndefined();
      expect(await store().getVersions(key.id)).toEqual([]);
      expect(await store().getAlias('alias/rolled-back')).toBeUndefined();
      expect(await store().getImportToken(token.id)).toBeUndefined();
      expect(await store().getMeta('rolled-back')).toBeUndefined();
      expect(await store().getKey(existing.id)).toEqual(existing);
      expect(await store().getVersions(existing.id)).toHaveLength(1);
    });

    it('rolls back earlier writes when a later write fails', async () => {
      const taken = newKey();
      await seedKeys(store(), [taken]);
      const fresh = newKey();
      const attempt = store().transaction(async (tx) => {
        await tx.insertKey(fresh);
        await tx.insertAlias(newAlias('alias/fresh', fresh.id));
        await tx.insertKey(taken);
      });
      await expect(attempt).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      expect(await store().getKey(fresh.id)).toBeUndefined();
      expect(await store().getAlias('alias/fresh')).toBeUndefined();
    });

    it('never shows uncommitted writes to other callers', async () => {
      const key = newKey();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const attempt = store().transaction(async (tx) => {
        await tx.insertKey(key);
        await gate;
        throw new Error('abandon');
      });
      await tick();
      const outside = store().getKey(key.id);
      await tick();
      release();
      await expect(attempt).rejects.toThrow('abandon');
      expect(await outside).toBeUndefined();
    });
  });

  describe('optimistic concurrency', () => {
    it('lets exactly one of two updates from the same read win, keeping its data', async () => {
      const key = newKey();
      await seedKeys(store(), [key]);
      const read = (await store().getKey(key.id))!;
      const update = (description: string) =>
        store().transaction(async (tx) => {
          await tick();
          return tx.updateKey({ ...read, description });
        });
      const { winner, value } = await oneWins(update('A'), update('B'));
      const stored = await store().getKey(key.id);
      expect(stored).toEqual(value);
      expect(stored).toMatchObject({ description: winner === 0 ? 'A' : 'B', rowVersion: 2 });
    });

    it('lets exactly one of two version updates from the same read win, keeping its data', async () => {
      const key = newKey();
      await seedKeys(store(), [key]);
      const read = (await store().getVersion(key.id, 1))!;
      const update = (state: 'Disabled' | 'Compromised') =>
        store().transaction(async (tx) => {
          await tick();
          return tx.updateVersion({ ...read, state });
        });
      const { winner, value } = await oneWins(update('Disabled'), update('Compromised'));
      const stored = await store().getVersion(key.id, 1);
      expect(stored).toEqual(value);
      expect(stored).toMatchObject({
        state: winner === 0 ? 'Disabled' : 'Compromised',
        rowVersion: 2,
      });
    });

    it('loses no update when many writers read, modify and retry', async () => {
      const key = newKey({ attributes: { n: '0' } });
      await seedKeys(store(), [key]);
      const writers = 12;
      // Each writer reads outside its transaction, as a service handling a
      // request does, so the reads interleave and most first attempts conflict.
      const increment = () =>
        withRetry(async () => {
          const current = (await store().getKey(key.id))!;
          await tick();
          const n = Number(current.attributes.n) + 1;
          await store().transaction((tx) =>
            tx.updateKey({ ...current, attributes: { n: String(n) } }),
          );
        });
      const tries = await Promise.all(Array.from({ length: writers }, increment));
      const stored = await store().getKey(key.id);
      expect(stored?.attributes).toEqual({ n: String(writers) });
      expect(stored?.rowVersion).toBe(1 + writers);
      expect(tries.reduce((a, b) => a + b)).toBeGreaterThan(writers);
    });
  });

  describe('lifecycle', () => {
    it('answers ping', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });

    it.runIf(reopen !== undefined)('keeps committed data across a reopen', async () => {
      const key = newKey({ tags: { kept: 'yes' } });
      await seedKeys(store(), [key]);
      await write(store(), (tx) => tx.putMeta('m', Buffer.from([1])));
      const reopened = await reopen!();
      expect(await reopened.getKey(key.id)).toEqual(key);
      expect(await reopened.getVersions(key.id)).toHaveLength(1);
      expect(await reopened.getMeta('m')).toEqual(Buffer.from([1]));
      const tagged = await reopened.listKeys({ tag: { key: 'kept', value: 'yes' } }, { limit: 5 });
      expect(tagged.items).toEqual([key]);
    });
  });
}
