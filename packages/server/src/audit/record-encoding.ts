import { hash } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { RecordedDecision, UnhashedRecord } from './record.js';

// The canonical encoding of a record, written out for its fixed shape: the
// members in the order JCS sorts them, so that the single writer spends no
// time sorting keys of every record. canonicalJson(record) gives the same
// text (a property test holds the two equal); the open-ended parts (context
// maps, ext) go through canonicalJson itself.

/**
 * Printable ASCII but `"` and `\\`: JSON.stringify (RFC 8785 §3.2.2.2) writes
 * such a string between quotes as it stands. Nearly every member is one (ids,
 * names, hex hashes, ISO times), and each JSON.stringify call is a trip into
 * the runtime: about 2 µs per record for the twenty members of an encrypt.
 */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function s(value: string | boolean | null): string {
  if (typeof value === 'string') {
    return PLAIN_STRING.test(value) ? `"${value}"` : JSON.stringify(value);
  }
  return value === null ? 'null' : value ? 'true' : 'false';
}

function decision(d: RecordedDecision): string {
  const context = d.context === null ? 'null' : canonicalJson(d.context);
  return `{"action":${s(d.action)},"allowed":${s(d.allowed)},"context":${context},"keyId":${s(
    d.keyId,
  )},"resource":${s(d.resource)},"statement":${s(d.statement)}}`;
}

function number(n: number | null): string {
  if (n !== null && !Number.isFinite(n))
    throw new TypeError('canonical JSON has no non-finite numbers');
  // ECMAScript Number-to-String, as JSON.stringify and RFC 8785 §3.2.2.3 write numbers.
  return n === null ? 'null' : String(n);
}

/**
 * The canonical encoding (RFC 8785) of a record without its hash.
 *
 * @example
 * const text = encodeRecord(unhashed); // '{"contextValues":"hmac-sha256","decisions":[…],…,"v":1}'
 */
export function encodeRecord(r: UnhashedRecord): string {
  return (
    `{"contextValues":${s(r.contextValues)},"decisions":[${r.decisions.map(decision).join(',')}]` +
    `,"door":${s(r.door)},"durationMs":${number(r.durationMs)},"errorCode":${s(r.errorCode)}` +
    `,"ext":${r.ext === null ? 'null' : canonicalJson(r.ext)},"keyId":${s(r.keyId)}` +
    `,"keyVersion":${number(r.keyVersion)},"operation":${s(r.operation)},"outcome":${s(r.outcome)}` +
    `,"prevHash":${s(r.prevHash)},"principal":${s(r.principal)},"requestId":${s(r.requestId)}` +
    `,"seq":${number(r.seq)},"sourceAddress":${s(r.sourceAddress)},"statement":${s(r.statement)}` +
    `,"time":${s(r.time)},"v":${number(r.v)}}`
  );
}

/** Hex SHA-256 of canonical text, as UTF-8. */
export function hashText(text: string): string {
  // One-shot: every audited request hashes its record, and createHash() with
  // a Buffer copy of the text costs three times as much.
  return hash('sha256', text, 'hex');
}
