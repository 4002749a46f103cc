import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_CODES, isKmsError, type ErrorCode } from '../../core/errors.js';

/** An RFC 9457 problem document as the native API renders it. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly requestId: string;
  /** For INVALID_INPUT: where the bad value is (`body.plaintext`), never the value. */
  readonly field?: string;
}

/** The Problem document as the OpenAPI document describes it. */
export const problemJson = z
  .strictObject({
    type: z.url(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(ERROR_CODES),
    detail: z.string(),
    requestId: z.string(),
    field: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://custos.dev/errors/';

/**
 * Error code → HTTP status (RFC 9110 §15) and title. Checked by the compiler:
 * a new ErrorCode fails the build until it has a row here.
 */
export const REST_ERRORS = {
  NOT_FOUND: { status: 404, title: 'Not found' },
  ALREADY_EXISTS: { status: 409, title: 'Already exists' },
  INVALID_INPUT: { status: 400, title: 'Invalid input' },
  // The resource exists but its current state forbids the operation: 409 (§15.5.10).
  INVALID_STATE: { status: 409, title: 'Invalid state' },
  KEY_DISABLED: { status: 409, title: 'Key disabled' },
  KEY_PENDING_DELETION: { status: 409, title: 'Key pending deletion' },
  KEY_PENDING_IMPORT: { status: 409, title: 'Key pending import' },
  // Well-formed requests the key can never serve: 422 (§15.5.21), not a state to wait out.
  INVALID_KEY_USAGE: { status: 422, title: 'Invalid key usage' },
  UNSUPPORTED: { status: 422, title: 'Unsupported' },
  LIMIT_EXCEEDED: { status: 422, title: 'Limit exceeded' },
  INVALID_CIPHERTEXT: { status: 400, title: 'Invalid ciphertext' },
  INVALID_SIGNATURE: { status: 400, title: 'Invalid signature' },
  INVALID_MAC: { status: 400, title: 'Invalid MAC' },
  INVALID_IMPORT_TOKEN: { status: 400, title: 'Invalid import token' },
  EXPIRED_IMPORT_TOKEN: { status: 400, title: 'Expired import token' },
  INCORRECT_KEY_MATERIAL: { status: 400, title: 'Incorrect key material' },
  ACCESS_DENIED: { status: 403, title: 'Access denied' },
  UNAUTHENTICATED: { status: 401, title: 'Unauthenticated' },
  SEALED: { status: 503, title: 'Sealed' },
  CONFLICT: { status: 409, title: 'Conflict' },
  THROTTLED: { status: 429, title: 'Too many requests' },
  UNAVAILABLE: { status: 503, title: 'Unavailable' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<ErrorCode, { status: number; title: string }>;

/**
 * Fastify's own request errors (raised before a handler runs). Their messages
 * are replaced: a JSON.parse message quotes the body, which may be plaintext.
 */
const FASTIFY_ERRORS: Readonly<Record<string, { status: number; title: string; detail: string }>> =
  {
    FST_ERR_CTP_BODY_TOO_LARGE: {
      status: 413,
      title: 'Payload too large',
      detail: 'the request body exceeds the size limit',
    },
    FST_ERR_CTP_INVALID_MEDIA_TYPE: {
      status: 415,
      title: 'Unsupported media type',
      detail: 'the request body must be application/json',
    },
    FST_ERR_CTP_INVALID_JSON_BODY: {
      status: 400,
      title: 'Malformed JSON',
      detail: 'the request body is not valid JSON',
    },
    FST_ERR_CTP_EMPTY_JSON_BODY: {
      status: 400,
      title: 'Invalid input',
      detail: 'the request body is empty but declares application/json',
    },
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
      status: 400,
      title: 'Invalid input',
      detail: 'the request body length does not match Content-Length',
    },
    FST_ERR_BAD_URL: {
      status: 400,
      title: 'Invalid input',
      detail: 'the request URL is malformed',
    },
  };

const INTERNAL_DETAIL = 'an unexpected error occurred';

function problemOf(
  code: ErrorCode,
  requestId: string,
  detail: string,
  override?: { status: number; title: string },
): Problem {
  const entry = override ?? REST_ERRORS[code];
  return {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: entry.title,
    status: entry.status,
    code,
    detail,
    requestId,
  };
}

/**
 * Any thrown value → a problem document. KmsErrors keep their message (service
 * messages never carry secrets); INTERNAL and unknown errors get a generic
 * detail so no stack, message text or key material leaves the server.
 *
 * @example
 * const problem = toProblem(new NotFoundError('key k not found'), request.id); // status 404
 */
export function toProblem(error: unknown, requestId: string): Problem {
  if (isKmsError(error)) {
    if (error.code === 'INTERNAL') return problemOf('INTERNAL', requestId, INTERNAL_DETAIL);
    const problem = problemOf(error.code, requestId, error.message);
    const field = error.details.field;
    return typeof field === 'string' ? { ...problem, field } : problem;
  }
  const fastifyCode = fastifyErrorCode(error);
  const known = fastifyCode === undefined ? undefined : FASTIFY_ERRORS[fastifyCode];
  if (known !== undefined) return problemOf('INVALID_INPUT', requestId, known.detail, known);
  return problemOf('INTERNAL', requestId, INTERNAL_DETAIL);
}

function fastifyErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** Headers a problem carries beyond its body (RFC 9110 §11.6.1, RFC 6585 §4). */
function problemHeaders(problem: Problem, error: unknown): Record<string, string> {
  if (problem.code === 'UNAUTHENTICATED') return { 'www-authenticate': 'Bearer' };
  if (problem.code === 'THROTTLED' && isKmsError(error)) {
    const retryAfter = error.details.retryAfterSeconds;
    if (typeof retryAfter === 'number') return { 'retry-after': String(Math.ceil(retryAfter)) };
  }
  return {};
}

/** Only the `at …` lines of a stack: the message line may quote input. */
function stackFrames(error: unknown): string[] {
  if (!(error instanceof Error)) return [];
  return (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
}

/**
 * `toProblem`, logging what an operator must see: unexpected failures (by
 * name and stack frames only: the message may quote input).
 */
export function reportProblem(error: unknown, request: FastifyRequest): Problem {
  const problem = toProblem(error, request.id);
  if (problem.code === 'INTERNAL') {
    const errorName = error instanceof Error ? error.name : typeof error;
    // KmsError messages are written to be safe to show; others are not read.
    const message = isKmsError(error) ? error.message : undefined;
    request.log.error(
      { errorName, message, frames: stackFrames(error) },
      'request failed with an unexpected error',
    );
  }
  return problem;
}

/**
 * The Fastify error handler of the native API: every failure leaves as
 * `application/problem+json`; unknown errors become a generic INTERNAL problem.
 *
 * @example
 * app.setErrorHandler(restErrorHandler);
 */
export function restErrorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const problem = reportProblem(error, request);
  return reply
    .code(problem.status)
    .headers(problemHeaders(problem, error))
    .type(PROBLEM_CONTENT_TYPE)
    .send(problem);
}
