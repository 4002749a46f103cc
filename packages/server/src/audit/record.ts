import type { EncryptionContext } from '@custos/crypto';
import type { CanonicalObject } from './canonical.js';

/** The doors a request can come through; `internal` for calls no door made. */
export const DOORS = ['rest', 'aws', 'vault', 'kmip', 'cli', 'scheduler', 'internal'] as const;
export type Door = (typeof DOORS)[number];

/**
 * `success`: the operation did what was asked. `denied`: authentication or
 * authorization refused it. `failure`: any other error (its code says which).
 */
export const OUTCOMES = ['success', 'denied', 'failure'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * How encryption-context values appear in a record: HMAC-SHA256 under the
 * deployment's audit key (default), verbatim (configured), or left out
 * (`withheld`: the service was sealed, so the HMAC key was unavailable).
 */
export const CONTEXT_VALUE_MODES = ['hmac-sha256', 'clear', 'withheld'] as const;
export type ContextValueMode = (typeof CONTEXT_VALUE_MODES)[number];

/** One authorization decision taken while serving the request, as the service saw it. */
export interface AuditDecision {
  readonly action: string;
  readonly keyId: string | null;
  /** A resource that is not a key (`principal/<id>`, `policy/<name>`), else null. */
  readonly resource: string | null;
  readonly allowed: boolean;
  /** The policy statement that decided (`policy#sid`, `root`, `default-deny`). */
  readonly statement: string;
  /** The encryption context the request was authorized with; values in clear until written. */
  readonly context: EncryptionContext | null;
}

/**
 * What the service knows of a request once it is over: built on the request
 * path without hashing or encoding, which the single writer does in batch.
 * Never plaintext, key material, tokens or secrets.
 */
export interface AuditEntry {
  readonly time: Date;
  readonly requestId: string;
  readonly door: Door;
  readonly principal: string | null;
  readonly sourceAddress: string | null;
  /** The service operation's name, e.g. `encrypt`, `createKey`. */
  readonly operation: string;
  readonly keyId: string | null;
  readonly keyVersion: number | null;
  readonly outcome: Outcome;
  readonly errorCode: string | null;
  readonly decisions: readonly AuditDecision[];
  readonly durationMs: number;
  /** Attribute-based decisions (subject and resource attributes, obligations); null until used. */
  readonly ext: CanonicalObject | null;
}

// Records are type aliases, not interfaces, so that they are CanonicalValues as they
// stand (an interface has no implicit index signature): the hash is typed end to end.

/** A decision as written: context values replaced according to `contextValues`. */
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
export type RecordedDecision = {
  readonly action: string;
  readonly keyId: string | null;
  readonly resource: string | null;
  readonly allowed: boolean;
  readonly statement: string;
  /** Context keys with their HMAC (hex), their value, or null (withheld). */
  readonly context: Readonly<Record<string, string | null>> | null;
};

/**
 * One chained audit record, format version 1 (docs/formats.md, "Audit record
 * and checkpoint"). `hash` is SHA-256 of the canonical encoding of every other
 * field, `prevHash` the previous record's `hash`.
 */
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
export type AuditRecord = {
  readonly v: 1;
  readonly seq: number;
  /** ISO 8601, UTC, millisecond precision. */
  readonly time: string;
  readonly requestId: string;
  readonly door: Door;
  readonly principal: string | null;
  readonly sourceAddress: string | null;
  readonly operation: string;
  readonly keyId: string | null;
  readonly keyVersion: number | null;
  readonly outcome: Outcome;
  readonly errorCode: string | null;
  /** The deciding statement: the last decision's, null when none was taken. */
  readonly statement: string | null;
  readonly decisions: readonly RecordedDecision[];
  readonly contextValues: ContextValueMode;
  readonly durationMs: number;
  readonly ext: CanonicalObject | null;
  /** Hex; 64 zeros for the first record of a log that was never pruned. */
  readonly prevHash: string;
  /** Hex SHA-256 of the canonical encoding of the record without `hash`. */
  readonly hash: string;
};

/** A record before its hash is computed. */
export type UnhashedRecord = Omit<AuditRecord, 'hash'>;

/** The chain's start: the `prevHash` of record 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** How an authorization or authentication refusal is told from other failures. */
export function outcomeOf(errorCode: string | null): Outcome {
  if (errorCode === null) return 'success';
  return errorCode === 'ACCESS_DENIED' || errorCode === 'UNAUTHENTICATED' ? 'denied' : 'failure';
}
