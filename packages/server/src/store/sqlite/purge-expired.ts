import type Database from 'better-sqlite3';
import type { PurgeCounts } from '../store.js';
import { millis } from './rows.js';

/**
 * Deletes expired tokens and import tokens, a bounded batch of each per
 * call, from their expiry indexes (migration 6). Expiry is stored in epoch
 * milliseconds; a token without one never expires.
 */
export class PurgeStatements {
  // Visible so that a test can check their query plans.
  readonly tokens: Database.Statement<[number, number]>;
  readonly importTokens: Database.Statement<[number, number]>;
  private readonly both: (before: number, limit: number) => PurgeCounts;

  constructor(db: Database.Database) {
    this.tokens = db.prepare(
      `DELETE FROM tokens WHERE id IN
         (SELECT id FROM tokens WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
    );
    this.importTokens = db.prepare(
      `DELETE FROM import_tokens WHERE id IN
         (SELECT id FROM import_tokens WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
    );
    this.both = db.transaction((before: number, limit: number) => ({
      tokens: this.tokens.run(before, limit).changes,
      importTokens: this.importTokens.run(before, limit).changes,
    }));
  }

  purge(before: Date, limit: number): PurgeCounts {
    return this.both(millis(before), limit);
  }
}
