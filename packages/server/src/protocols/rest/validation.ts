import type { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';

/** Where a value came from, for the error's field path (`body.plaintext`, `params.key`). */
export type InputSource = string;

function pathOf(where: InputSource, path: readonly PropertyKey[]): string {
  let out = where;
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  }
  return out;
}

/**
 * The first zod issue as an INVALID_INPUT error. The message names the field
 * and what was expected; zod 4 does not quote the input, and `details.field`
 * lets clients point at the field without parsing text.
 */
export function invalidInput(
  error: z.ZodError,
  where: InputSource,
): InstanceType<typeof InvalidInputError> {
  const issue = error.issues[0];
  if (issue === undefined)
    return new InvalidInputError(`${where} is invalid`, { details: { field: where } });
  const field = pathOf(where, issue.path);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return new InvalidInputError(`${field}: ${issue.message}${more}`, { details: { field } });
}

/**
 * Validates `value` with `schema`; without a schema the input is not read at
 * all and `undefined` is returned.
 *
 * @example
 * const body = parseInput(encryptBody, request.body, 'body');
 */
export function parseInput<T>(
  schema: z.ZodType<T> | undefined,
  value: unknown,
  where: InputSource,
): T | undefined {
  if (schema === undefined) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error, where);
  return result.data;
}
