/**
 * Human-readable renderings of what the client commands print. `--json`
 * output is the server's JSON as received; these are for people.
 */
import { table } from './command.js';
import type { AliasList, KeyList, KeyView } from './commands/views.js';

/** A key as `custos key describe` prints it, versions last. */
export function describeKey(key: KeyView): string {
  const tags = Object.entries(key.tags).map(([k, v]) => `${k}=${v}`);
  const head = table([
    ['Key ID', key.keyId],
    ['Aliases', key.aliases.length > 0 ? key.aliases.join(', ') : '-'],
    ['Description', key.description === '' ? '-' : key.description],
    ['Spec', key.spec],
    ['Usage', key.usage],
    ['Origin', key.origin],
    ['State', key.state],
    ['Deletion date', key.deletionDate ?? '-'],
    ['Primary version', key.primaryVersion],
    [
      'Rotation period',
      key.rotationPeriodDays == null ? 'manual' : `${key.rotationPeriodDays} days`,
    ],
    ['Next rotation', key.nextRotationAt ?? '-'],
    ['Tags', tags.length > 0 ? tags.join(', ') : '-'],
    ['Created', key.createdAt],
    ['Last used', key.lastUsedAt ?? 'never'],
  ]);
  const versions = columns(
    ['VERSION', 'STATE', 'PRIMARY', 'USES', 'CREATED'],
    key.versions.map((v) => [
      String(v.version),
      v.state,
      v.primary ? 'yes' : '',
      v.usageCount === undefined ? '-' : String(v.usageCount),
      v.createdAt,
    ]),
  );
  return `${head}\n\nVersions:\n${versions}`;
}

export function describeKeyList(list: KeyList): string {
  if (list.keys.length === 0) return 'No keys.';
  const rows = columns(
    ['KEY ID', 'SPEC', 'USAGE', 'STATE', 'DESCRIPTION'],
    list.keys.map((k) => [k.keyId, k.spec, k.usage, k.state, k.description]),
  );
  return withCursor(rows, list.nextCursor);
}

export function describeAliasList(list: AliasList): string {
  if (list.aliases.length === 0) return 'No aliases.';
  const rows = columns(
    ['ALIAS', 'KEY ID'],
    list.aliases.map((a) => [a.name, a.keyId]),
  );
  return withCursor(rows, list.nextCursor);
}

function withCursor(rows: string, nextCursor: string | null): string {
  return nextCursor === null ? rows : `${rows}\n\nMore: --cursor ${nextCursor}`;
}

/** A left-aligned table with a header row; the last column is not padded. */
export function columns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Bytes for people: 5242880 → "5.0 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}
