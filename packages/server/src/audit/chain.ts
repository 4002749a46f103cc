import { hmac, type EncryptionContext } from '@custos/crypto';
import { canonicalJson } from './canonical.js';
import { encodeRecord, hashText } from './record-encoding.js';
import type {
  AuditEntry,
  AuditRecord,
  ContextValueMode,
  RecordedDecision,
  UnhashedRecord,
} from './record.js';

/** Where the chain stands: the last record's sequence number and hash. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * How context values are written. `key` (the HMAC key, which the caller
 * zeroes) is needed only to hash values that are actually present.
 */
export interface ContextProtection {
  readonly mode: ContextValueMode;
  readonly key?: Uint8Array;
}

/** SHA-256 of the record's canonical encoding without its `hash`. */
export function recordHash(record: UnhashedRecord): string {
  return hashText(encodeRecord(record));
}

/** A chained record with the canonical text its hash covers (what the store keeps). */
export interface EncodedRecord {
  readonly record: AuditRecord;
  readonly text: string;
  /** The record's `time` as a Date (the store's column), not parsed back from its text. */
  readonly time: Date;
}

/**
 * Gives entries the next sequence numbers and links each to the one before.
 * Only the single writer calls it, in order, inside the transaction that
 * stores the result: that is what keeps sequence numbers gapless.
 *
 * @example
 * const records = chainEntries(head, pending, { mode: 'hmac-sha256', key });
 */
export function chainEntries(
  head: ChainHead,
  entries: readonly AuditEntry[],
  protection: ContextProtection,
): AuditRecord[] {
  return chainEncoded(head, entries, protection).map((e) => e.record);
}

/** chainEntries, keeping each record's canonical text. */
export function chainEncoded(
  head: ChainHead,
  entries: readonly AuditEntry[],
  protection: ContextProtection,
): EncodedRecord[] {
  let { seq, hash } = head;
  return entries.map((entry) => {
    seq += 1;
    const unhashed = toRecord(entry, seq, hash, protection);
    const text = encodeOrdered(unhashed);
    hash = hashText(text);
    // Adding the one member in place: copying all eighteen to add it cost as
    // much as hashing the record.
    const record: AuditRecord = Object.assign(unhashed, { hash });
    return { record, text, time: entry.time };
  });
}

/**
 * The canonical encoding of a record from toRecord. JSON.stringify keeps
 * insertion order, which toRecord makes the canonical one, and writes strings
 * and numbers as RFC 8785 does (§3.2.2), in one pass and with no string
 * pieces left over: most records (no context map, no ext) take it. Context
 * maps and ext have keys in any order, integer-like ones included (which
 * JavaScript orders numerically), so records with them take encodeRecord.
 */
function encodeOrdered(r: UnhashedRecord): string {
  const plain =
    r.ext === null && r.decisions.every((d) => d.context === null) && Number.isFinite(r.durationMs);
  return plain ? JSON.stringify(r) : encodeRecord(r);
}

// Records of one millisecond share their time text: Date#toISOString cost a
// third of a microsecond per record, and a busy writer chains several records
// per millisecond.
let lastTimeMs = Number.NaN;
let lastTimeText = '';

function isoTime(time: Date): string {
  const ms = time.getTime();
  if (ms !== lastTimeMs) {
    lastTimeText = time.toISOString();
    lastTimeMs = ms;
  }
  return lastTimeText;
}

/**
 * The record without its hash, members in canonical (sorted) order at every
 * level, as encodeOrdered needs them: keep them sorted when adding one.
 */
function toRecord(
  entry: AuditEntry,
  seq: number,
  prevHash: string,
  protection: ContextProtection,
): UnhashedRecord {
  const decisions = entry.decisions.map((d): RecordedDecision => ({
    action: d.action,
    allowed: d.allowed,
    context: d.context === null ? null : protectContext(d.context, protection),
    keyId: d.keyId,
    resource: d.resource,
    statement: d.statement,
  }));
  return {
    contextValues: protection.mode satisfies ContextValueMode,
    decisions,
    door: entry.door,
    // Microsecond resolution is plenty and keeps the encoding short.
    durationMs: Math.round(entry.durationMs * 1000) / 1000,
    errorCode: entry.errorCode,
    ext: entry.ext,
    keyId: entry.keyId,
    keyVersion: entry.keyVersion,
    operation: entry.operation,
    outcome: entry.outcome,
    prevHash,
    principal: entry.principal,
    requestId: entry.requestId,
    seq,
    sourceAddress: entry.sourceAddress,
    statement: decisions.at(-1)?.statement ?? null,
    time: isoTime(entry.time),
    v: 1,
  };
}

/**
 * Context keys always appear; values as HMAC-SHA256(key, canonical `[name, value]`)
 * in hex, so an auditor holding the key can test a guess but a reader of the log
 * learns nothing, or in clear when configured, or null when withheld.
 */
export function protectContext(
  context: EncryptionContext,
  protection: ContextProtection,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const { mode, key } = protection;
  if (mode === 'hmac-sha256' && key === undefined) {
    throw new TypeError('hashing context values needs the HMAC key');
  }
  for (const [name, value] of Object.entries(context)) {
    if (mode === 'hmac-sha256' && key !== undefined) out[name] = contextValueMac(key, name, value);
    else out[name] = mode === 'clear' ? value : null;
  }
  return out;
}

export function contextValueMac(key: Uint8Array, name: string, value: string): string {
  return hmac('SHA-256', key, Buffer.from(canonicalJson([name, value]), 'utf8')).toString('hex');
}
