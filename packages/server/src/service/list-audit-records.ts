import { OUTCOMES, type AuditRecord, type Outcome } from '../audit/record.js';
import { fromStoredRecord } from '../audit/stored.js';
import { InternalError, InvalidInputError } from '../core/errors.js';
import { authorize } from './authorize.js';
import type { RequestContext } from './context.js';
import { checkInteger, checkOneOf } from './validate.js';

export interface ListAuditRecordsInput {
  /** Records at or after this time. */
  readonly from?: Date;
  /** Records before this time. */
  readonly to?: Date;
  readonly principal?: string;
  /** The key id as records carry it (resolved: aliases are not followed here). */
  readonly keyId?: string;
  readonly operation?: string;
  readonly outcome?: Outcome;
  /** Records after this seq, oldest first (following the log); otherwise newest first. */
  readonly afterSeq?: number;
  /** 1–1000; default config.defaultPageSize. */
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ListAuditRecordsOutput {
  readonly records: AuditRecord[];
  readonly nextCursor: string | null;
}

/**
 * Reads the audit log (custos:ReadAudit), filtered, a page at a time. Works
 * while sealed: the log holds no secrets. A record that no longer parses
 * was edited behind the log's back; `custos audit verify` says where.
 *
 * @example
 * const { records } = await listAuditRecords(ctx, { keyId, outcome: 'denied', limit: 50 });
 */
export async function listAuditRecords(
  ctx: RequestContext,
  input: ListAuditRecordsInput,
): Promise<ListAuditRecordsOutput> {
  authorize(ctx, 'custos:ReadAudit');
  const limit = input.limit ?? ctx.kms.config.defaultPageSize;
  checkInteger('limit', limit, 1, 1000);
  if (input.afterSeq !== undefined) {
    checkInteger('afterSeq', input.afterSeq, 0, Number.MAX_SAFE_INTEGER);
  }
  if (input.outcome !== undefined) checkOneOf('outcome', input.outcome, OUTCOMES);
  for (const field of ['from', 'to'] as const) {
    const date = input[field];
    if (date !== undefined && Number.isNaN(date.getTime())) {
      throw new InvalidInputError(`${field} must be a valid time`, { details: { field } });
    }
  }
  const { from, to, principal, keyId, operation, outcome, afterSeq, cursor } = input;
  const query = { from, to, principal, keyId, operation, outcome, afterSeq };
  const page = await ctx.kms.store.listAuditRecords(query, {
    limit,
    ...(cursor !== undefined && { cursor }),
  });
  return { records: page.items.map(readable), nextCursor: page.nextCursor };
}

function readable(stored: Parameters<typeof fromStoredRecord>[0]): AuditRecord {
  try {
    return fromStoredRecord(stored);
  } catch (error) {
    throw new InternalError(`the audit record at seq ${String(stored.seq)} is unreadable`, {
      cause: error,
      details: { seq: stored.seq },
    });
  }
}
