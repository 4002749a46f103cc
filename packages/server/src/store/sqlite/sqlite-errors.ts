import Database from 'better-sqlite3';
import {
  AlreadyExistsError,
  InvalidInputError,
  NotFoundError,
  UnavailableError,
  isKmsError,
} from '../../core/errors.js';

/** SQLite extended result code of a failed call, if it came from SQLite. */
export function sqliteCode(error: unknown): string | undefined {
  return error instanceof Database.SqliteError ? error.code : undefined;
}

/**
 * Translates an SQLite failure into the store's typed errors. SQLite's own
 * text stays in `cause` for logs; the message is ours, so no column value
 * can reach a client. Anything not from SQLite (a bug) passes unchanged.
 */
export function toStoreError(error: unknown): unknown {
  const code = sqliteCode(error);
  if (code === undefined || isKmsError(error)) return error;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new UnavailableError('the database is busy', { cause: error });
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new InvalidInputError('the write violates a store constraint', { cause: error });
  }
  return new UnavailableError('the database failed', { cause: error });
}

/**
 * An insert's failure: a taken primary key or unique name is AlreadyExists,
 * a missing parent key is NotFound.
 */
export function insertError(error: unknown, what: string, parentKeyId?: string): unknown {
  const code = sqliteCode(error);
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new AlreadyExistsError(`${what} already exists`, { cause: error });
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' && parentKeyId !== undefined) {
    return new NotFoundError(`key ${parentKeyId} does not exist`, { cause: error });
  }
  return toStoreError(error);
}
