import { z } from 'zod';
import { InvalidInputError } from '../core/errors.js';
import type { CanonicalObject } from './canonical.js';
import type { AuditCheckpoint } from './checkpoint.js';
import { CONTEXT_VALUE_MODES, DOORS, OUTCOMES, type AuditRecord } from './record.js';

// Records and checkpoints read back (from the database or an export file) are
// untrusted input: strict schemas, so that an unknown field is refused rather
// than silently left out of the hash that the verifier recomputes.

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const nullableString = z.string().nullable();
const canonicalObject = z.record(z.string(), z.json()) as z.ZodType<CanonicalObject>;

const decisionSchema = z.strictObject({
  action: z.string(),
  keyId: nullableString,
  resource: nullableString,
  allowed: z.boolean(),
  statement: z.string(),
  context: z.record(z.string(), nullableString).nullable(),
});

export const auditRecordSchema = z.strictObject({
  v: z.literal(1),
  seq: z.int().positive(),
  time: z.iso.datetime(),
  requestId: z.string(),
  door: z.enum(DOORS),
  principal: nullableString,
  sourceAddress: nullableString,
  operation: z.string(),
  keyId: nullableString,
  keyVersion: z.int().nullable(),
  outcome: z.enum(OUTCOMES),
  errorCode: nullableString,
  statement: nullableString,
  decisions: z.array(decisionSchema),
  contextValues: z.enum(CONTEXT_VALUE_MODES),
  durationMs: z.number().nonnegative(),
  ext: canonicalObject.nullable(),
  prevHash: hex64,
  hash: hex64,
}) satisfies z.ZodType<AuditRecord>;

export const auditCheckpointSchema = z.strictObject({
  v: z.literal(1),
  kind: z.enum(['checkpoint', 'anchor']),
  seq: z.int().nonnegative(),
  hash: hex64,
  time: z.iso.datetime(),
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  signature: z.base64(),
}) satisfies z.ZodType<AuditCheckpoint>;

/** A record from its stored or exported JSON; InvalidInputError if malformed. */
export function parseAuditRecord(json: unknown): AuditRecord {
  return parseWith(auditRecordSchema, json, 'audit record');
}

/** A checkpoint or anchor from its stored or exported JSON; InvalidInputError if malformed. */
export function parseAuditCheckpoint(json: unknown): AuditCheckpoint {
  return parseWith(auditCheckpointSchema, json, 'audit checkpoint');
}

function parseWith<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidInputError(`malformed ${what}: ${z.prettifyError(parsed.error)}`);
  }
  // The input itself, now known to have the shape (the schemas are strict and
  // transform nothing): zod rebuilds maps, and a `__proto__` member (valid
  // JSON, and a valid context key) would not survive that, changing the hash.
  return json as T;
}
