import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/sqlite/migrations.js';
import { KeyListStatements } from '../../src/store/sqlite/key-list.js';
import { PurgeStatements } from '../../src/store/sqlite/purge-expired.js';
import { prepareStatements } from '../../src/store/sqlite/statements.js';
import type { KeyFilter } from '../../src/store/store.js';

// Listing must cost one page, not one table: each query reads an index range
// in the order it returns, with no full scan and no sort.
describe('SQLite query plans', () => {
  const db = new Database(':memory:');
  migrate(db);
  afterAll(() => db.close());

  function plan(sql: string): string {
    const params = Array.from(sql.matchAll(/\?/g), () => 'x');
    return db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => row.detail)
      .join('\n');
  }

  const filters: [string, KeyFilter, RegExp][] = [
    ['state', { state: 'Enabled' }, /keys_state \(state=\? AND id>\?\)/],
    ['tag key', { tag: { key: 't' } }, /key_tags_tag \(tag_key=\? AND key_id>\?\)/],
    [
      'tag key and value with state',
      { tag: { key: 't', value: 'v' }, state: 'Enabled' },
      /key_tags_tag_value \(tag_key=\? AND tag_value=\? AND key_id>\?\)/,
    ],
    ['tag and alias prefix', { tag: { key: 't' }, aliasPrefix: 'alias/' }, /aliases_key_id/],
  ];
  const lists = new KeyListStatements(db);
  for (const [name, filter, index] of filters) {
    it(`lists keys by ${name} from an index, without sorting`, () => {
      const detail = plan(lists.get(filter).source);
      expect(detail).toMatch(index);
      expect(detail).not.toMatch(/SCAN|TEMP B-TREE/);
    });
  }

  it('finds expired tokens and import tokens from their expiry indexes, without sorting', () => {
    const purge = new PurgeStatements(db);
    const tokens = plan(purge.tokens.source);
    const revoked = plan(purge.revokedTokens.source);
    const importTokens = plan(purge.importTokens.source);
    expect(tokens).toMatch(/tokens_expires_at \(expires_at<\?\)/);
    expect(revoked).toMatch(/tokens_revoked_at \(revoked_at<\?\)/);
    expect(importTokens).toMatch(/import_tokens_expires_at \(expires_at<\?\)/);
    expect(`${tokens}\n${revoked}\n${importTokens}`).not.toMatch(
      /SCAN (tokens|import_tokens)\b|TEMP B-TREE/,
    );
  });

  it('finds due keys from their partial indexes, without sorting', () => {
    const statements = prepareStatements(db);
    const rotation = plan(statements.dueForRotation.source);
    const deletion = plan(statements.dueForDeletion.source);
    expect(rotation).toMatch(/keys_next_rotation_at/);
    expect(deletion).toMatch(/keys_deletion_date/);
    expect(`${rotation}\n${deletion}`).not.toMatch(/SCAN|TEMP B-TREE/);
  });

  it('lists one key’s aliases in name order from an index', () => {
    const detail = plan(prepareStatements(db).listKeyAliases.source);
    expect(detail).toMatch(/aliases_key_id \(key_id=\? AND name>\?\)/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });
});
