import type Database from 'better-sqlite3';
import type { PurgeCounts } from '../store.js';
import { millis } from './rows.js';

/**
 * Deletes tokens expired or revoked at or before a time, and expired import
 * tokens, a bounded batch of each per call, from their indexes (migrations 6
 * and 7). Times are stored in epoch milliseconds; a token without an expiry
 * never expires, but is purged once revoked long enough.
 */
export class PurgeStatements {
  // Visible so that a test can check their query plans.
  readonly tokens: Database.Statement<[number, number]>;
  readonly revokedTokens: Database.Statement<[number, number]>;
  readonly importTokens: Database.Statement<[number, number]>;
  private readonly all: (before: number, limit: number) => PurgeCounts;

  constructor(db: Database.Database) {
    this.tokens = db.prepare(
      `DELETE FROM tokens WHERE id IN
         (SELECT id FROM tokens WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
    );
    this.revokedTokens = db.prepare(
      `DELETE FROM tokens WHERE id IN
         (SELECT id FROM tokens WHERE revoked_at <= ? ORDER BY revoked_at LIMIT ?)`,
    );
    this.importTokens = db.prepare(
      `DELETE FROM import_tokens WHERE id IN
         (SELECT id FROM import_tokens WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)`,
    );
    this.all = db.transaction((before: number, limit: number) => {
      const expired = this.tokens.run(before, limit).changes;
      const revoked = this.revokedTokens.run(before, Math.max(0, limit - expired)).changes;
      return {
        tokens: expired + revoked,
        importTokens: this.importTokens.run(before, limit).changes,
      };
    });
  }

  purge(before: Date, limit: number): PurgeCounts {
    return this.all(millis(before), limit);
  }
}
