import { performance } from 'node:perf_hooks';
import { type EncryptionContext, SecretBytes } from '@custos/crypto';
import type { AfterCommit, AuditLog } from '../audit/audit-log.js';
import { type AuditDecision, type AuditEntry, outcomeOf } from '../audit/record.js';
import type { AccessDecision } from '../core/access.js';
import type { Action } from '../core/actions.js';
import { UnavailableError, isKmsError } from '../core/errors.js';
import type { StoreWriter } from '../store/store.js';
import type { RequestContext } from './context.js';

/**
 * What an audited call learns while it runs: authorize() reports each
 * decision here, and a state change's transaction reports that it already
 * wrote the call's record. One per call, never shared.
 */
export class AuditScratch {
  readonly decisions: AuditDecision[] = [];
  /** The key the call acted on, once known (resolved from aliases). */
  keyId: string | null;
  /** Set once a transaction committed this call's record with its state change. */
  written = false;
  /** Attribute-based decisions (subject and resource attributes, obligations), for later. */
  ext: AuditEntry['ext'] = null;

  constructor(
    readonly operation: string,
    readonly time: Date,
    readonly startedAt: number,
    keyId: string | null,
  ) {
    this.keyId = keyId;
  }

  /** `on` names the key, or another resource (`principal/<id>`), or nothing (kms:ListKeys). */
  decided(
    action: Action,
    on: { readonly keyId?: string; readonly resource?: string },
    decision: AccessDecision,
    context?: EncryptionContext,
  ): void {
    const keyId = on.keyId ?? null;
    this.keyId ??= keyId;
    this.decisions.push({
      action,
      keyId,
      resource: on.resource ?? null,
      allowed: decision.allowed,
      statement: decision.statement,
      context: context ?? null,
    });
  }
}

type Operation<I, O> = (ctx: RequestContext, input: I) => Promise<O>;

/**
 * Wraps a service operation so that every call leaves exactly one audit
 * record, fail closed: a result is released only once its record is durable;
 * if the record cannot be written the call fails with Unavailable and secrets
 * in the result are zeroed. State changes write their record in their own
 * transaction (see `auditedTransaction`). Calls made from inside an audited
 * call are part of it and write nothing of their own.
 *
 * @example
 * export const encrypt = audited('encrypt', encryptOperation);
 */
export function audited<I, O>(operation: string, run: Operation<I, O>): Operation<I, O> {
  const call = async (ctx: RequestContext, input: I): Promise<O> => {
    const log = ctx.kms.audit;
    if (log === undefined || ctx.audit !== undefined) return run(ctx, input);
    const scratch = new AuditScratch(
      operation,
      ctx.kms.clock.now(),
      performance.now(),
      keyIdOf(input),
    );
    // Not `{ ...ctx, audit }`: every audited operation's context passes through
    // this one line, and V8 gave each copy spread here a hidden class of its
    // own, so every later read of the context missed its inline cache (and each
    // request allocated a new map). Object.assign keeps the classes shared.
    const inner: RequestContext = Object.assign({}, ctx, { audit: scratch });
    let output: O;
    try {
      output = await run(inner, input);
    } catch (error) {
      if (!scratch.written) await durably(log, auditEntry(inner, scratch, error));
      throw error;
    }
    if (!scratch.written) {
      // The append's own promise, awaited here: no wrapper on the path every call takes.
      try {
        await log.append(auditEntry(inner, scratch, undefined, output));
      } catch (error) {
        discard(output);
        throw unwritten(error);
      }
    }
    return output;
  };
  Object.defineProperty(call, 'name', { value: operation });
  return call;
}

/**
 * A store transaction that also writes the audited call's record, so that
 * the state change and its record commit together or not at all. Service
 * code writes through this (changeKey does), never `store.transaction`.
 *
 * @example
 * await auditedTransaction(ctx, (tx) => tx.insertPrincipal(record));
 */
export async function auditedTransaction<T>(
  ctx: RequestContext,
  change: (tx: StoreWriter) => Promise<T>,
  keyId?: string,
): Promise<T> {
  const log = ctx.kms.audit;
  const scratch = ctx.audit;
  if (log === undefined || scratch === undefined) return ctx.kms.store.transaction(change);
  if (keyId !== undefined) scratch.keyId ??= keyId;
  let afterCommit: AfterCommit | undefined;
  const result = await ctx.kms.store.transaction(async (tx) => {
    const value = await change(tx);
    afterCommit = await log.appendIn(tx, auditEntry(ctx, scratch));
    return value;
  });
  scratch.written = true;
  afterCommit?.();
  return result;
}

async function durably(log: AuditLog, entry: AuditEntry): Promise<void> {
  try {
    await log.append(entry);
  } catch (error) {
    throw unwritten(error);
  }
}

function unwritten(cause: unknown): InstanceType<typeof UnavailableError> {
  return new UnavailableError('the audit record could not be written; nothing was released', {
    cause,
  });
}

function auditEntry(
  ctx: RequestContext,
  scratch: AuditScratch,
  error?: unknown,
  output?: unknown,
): AuditEntry {
  const errorCode = error === undefined ? null : isKmsError(error) ? error.code : 'INTERNAL';
  return {
    time: scratch.time,
    requestId: ctx.requestId,
    door: ctx.door ?? 'internal',
    principal: ctx.principal.id,
    sourceAddress: ctx.sourceAddress ?? null,
    operation: scratch.operation,
    keyId: keyIdOf(output) ?? scratch.keyId,
    keyVersion: keyVersionOf(output),
    outcome: outcomeOf(errorCode),
    errorCode,
    decisions: scratch.decisions,
    durationMs: performance.now() - scratch.startedAt,
    ext: scratch.ext,
  };
}

// Named reads rather than one function over a property name: every audited
// call goes through these, and a keyed read of varying objects is megamorphic.
function keyIdOf(input: unknown): string | null {
  const keyId = typeof input === 'object' && input !== null ? (input as KeyFields).keyId : null;
  return typeof keyId === 'string' ? keyId : null;
}

function keyVersionOf(output: unknown): number | null {
  const version =
    typeof output === 'object' && output !== null ? (output as KeyFields).keyVersion : null;
  return typeof version === 'number' ? version : null;
}

interface KeyFields {
  readonly keyId?: unknown;
  readonly keyVersion?: unknown;
}

/** Zeroes what a withheld result held secret (plaintext, data keys, private keys). */
function discard(output: unknown): void {
  if (output instanceof SecretBytes) output.zero();
  if (typeof output !== 'object' || output === null) return;
  for (const value of Object.values(output)) {
    if (value instanceof SecretBytes) value.zero();
  }
}
