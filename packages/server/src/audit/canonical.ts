import { digest } from '@custos/crypto';

/** A value the canonical encoding accepts: JSON data, nothing else. */
export type CanonicalValue =
  null | boolean | number | string | readonly CanonicalValue[] | CanonicalObject;

export interface CanonicalObject {
  readonly [key: string]: CanonicalValue;
}

/**
 * The canonical encoding of audit records and checkpoints: RFC 8785 (JSON
 * Canonicalization Scheme) — no whitespace, object members sorted by their
 * names' UTF-16 code units, numbers and strings serialised as ECMAScript's
 * JSON.stringify does — as UTF-8. Any JCS implementation reproduces it, so a
 * verifier need not run Custos. One deviation: a lone surrogate in a string
 * is escaped (`\udXXX`) where JCS would refuse the input; that keeps a
 * malformed principal name from failing the request it describes.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    // JCS §3.2.2.3: NaN and the infinities have no JSON form.
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no non-finite numbers');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${(value as readonly CanonicalValue[]).map(canonicalJson).join(',')}]`;
  }
  if (typeof value !== 'object') throw new TypeError(`canonical JSON has no ${typeof value}`);
  const object = value as CanonicalObject;
  // Default sort compares UTF-16 code units, which is what JCS §3.2.3 asks.
  const members = Object.keys(object)
    .sort()
    .map((key) => {
      const member = object[key];
      if (member === undefined) throw new TypeError(`canonical JSON member ${key} is undefined`);
      return `${JSON.stringify(key)}:${canonicalJson(member)}`;
    });
  return `{${members.join(',')}}`;
}

/** Hex SHA-256 of the UTF-8 canonical encoding. */
export function canonicalHash(value: CanonicalValue): string {
  return digest('SHA-256', Buffer.from(canonicalJson(value), 'utf8')).toString('hex');
}
