import type Database from 'better-sqlite3';

interface MetaEntry {
  readonly name: string;
  readonly value: Buffer;
}

/**
 * Migration 4's data step: each `meta` entry `access-key/<id>` (JSON
 * `{principalId, wrappedSecret (base64), createdAt (ISO)}`) becomes an
 * `access_keys` row, then the entries and their `access-keys` index go.
 * Deleted keys (empty entries) and keys whose principal is gone (they could
 * no longer sign anything) are dropped; an entry that does not parse fails
 * the migration, which then leaves the database as it was.
 */
export function moveAccessKeysFromMeta(db: Database.Database): void {
  const entries = db
    .prepare<[], MetaEntry>("SELECT name, value FROM meta WHERE name LIKE 'access-key/%'")
    .all();
  const principalExists = db.prepare<[string], number>('SELECT 1 FROM principals WHERE id = ?');
  const insert = db.prepare<[string, string, Buffer, number]>(
    'INSERT INTO access_keys (id, principal_id, wrapped_secret, created_at) VALUES (?, ?, ?, ?)',
  );
  for (const { name, value } of entries) {
    if (value.length === 0) continue;
    const id = name.slice('access-key/'.length);
    const entry = parseEntry(value, id);
    if (principalExists.get(entry.principalId) === undefined) continue;
    insert.run(id, entry.principalId, Buffer.from(entry.wrappedSecret, 'base64'), entry.createdAt);
  }
  db.prepare("DELETE FROM meta WHERE name = 'access-keys' OR name LIKE 'access-key/%'").run();
}

function parseEntry(
  value: Buffer,
  id: string,
): { principalId: string; wrappedSecret: string; createdAt: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'principalId' in parsed &&
    typeof parsed.principalId === 'string' &&
    'wrappedSecret' in parsed &&
    typeof parsed.wrappedSecret === 'string' &&
    'createdAt' in parsed &&
    typeof parsed.createdAt === 'string' &&
    !Number.isNaN(Date.parse(parsed.createdAt))
  ) {
    return {
      principalId: parsed.principalId,
      wrappedSecret: parsed.wrappedSecret,
      createdAt: Date.parse(parsed.createdAt),
    };
  }
  throw new TypeError(`the stored access key ${id} is malformed`);
}
