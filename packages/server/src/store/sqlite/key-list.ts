import type Database from 'better-sqlite3';
import type { KeyFilter } from '../store.js';
import type { KeyRow } from './rows.js';
import { KEY_COLUMNS } from './statements.js';

/**
 * listKeys statements, one per combination of filters (twelve at most),
 * prepared on first use. Parameters bind in the order: tag key, tag value,
 * cursor, state, alias prefix (twice), limit — skipping the filters not given.
 */
export class KeyListStatements {
  private readonly cache = new Map<string, Database.Statement<unknown[], KeyRow>>();

  constructor(private readonly db: Database.Database) {}

  get(filter: KeyFilter): Database.Statement<unknown[], KeyRow> {
    const shape = `${tagShape(filter)}${filter.state === undefined ? '' : 's'}${
      filter.aliasPrefix === undefined ? '' : 'a'
    }`;
    let statement = this.cache.get(shape);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], KeyRow>(keyListSql(filter));
      this.cache.set(shape, statement);
    }
    return statement;
  }
}

function tagShape(filter: KeyFilter): string {
  if (filter.tag === undefined) return '';
  return filter.tag.value === undefined ? 't' : 'tv';
}

const K_COLUMNS = KEY_COLUMNS.replace(/(\w+)/g, 'k.$1');

function keyListSql(filter: KeyFilter): string {
  const where: string[] = [];
  let from = 'keys k';
  let id = 'k.id';
  if (filter.tag !== undefined) {
    // Driving the scan from the tag index (CROSS JOIN fixes the loop order in
    // SQLite) reads only the tagged keys after the cursor, in id order.
    from = 'key_tags t CROSS JOIN keys k ON k.id = t.key_id';
    id = 't.key_id';
    where.push(
      filter.tag.value === undefined ? 't.tag_key = ?' : 't.tag_key = ? AND t.tag_value = ?',
    );
  }
  where.push(`${id} > ?`);
  if (filter.state !== undefined) where.push('k.state = ?');
  if (filter.aliasPrefix !== undefined) {
    // substr/length count characters on both sides, so no LIKE escaping is needed.
    where.push(
      'EXISTS (SELECT 1 FROM aliases a WHERE a.key_id = k.id AND substr(a.name, 1, length(?)) = ?)',
    );
  }
  return `SELECT ${K_COLUMNS} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${id} LIMIT ?`;
}

/** The bind values for `KeyListStatements.get(filter)`, in its order. */
export function keyListParams(filter: KeyFilter, after: string, limit: number): unknown[] {
  const params: unknown[] = [];
  if (filter.tag !== undefined) {
    params.push(filter.tag.key);
    if (filter.tag.value !== undefined) params.push(filter.tag.value);
  }
  params.push(after);
  if (filter.state !== undefined) params.push(filter.state);
  if (filter.aliasPrefix !== undefined) params.push(filter.aliasPrefix, filter.aliasPrefix);
  params.push(limit);
  return params;
}
