import type { z } from 'zod';
import type { RequestContext } from '../../service/context.js';
import type { AwsPartition } from './arn.js';
import { validation } from './aws-errors.js';

/** What an operation gets besides its JSON body. */
export interface AwsCall {
  readonly ctx: RequestContext;
  readonly partition: AwsPartition;
}

/** One action: AWS JSON in, AWS JSON out. */
export type AwsOperation = (call: AwsCall, body: unknown) => Promise<object>;

/**
 * Parses an action's body; a mismatch is ValidationException worded as AWS
 * words it ("1 validation error detected: Value null at 'keyId' failed to
 * satisfy constraint: Member must not be null"; "Value 'X' at 'keySpec'
 * failed to satisfy constraint: Member must satisfy enum value set: [...]").
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const input = body ?? {};
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  // Parsed again to word the refusal: reportInput tells a missing member
  // (null to AWS) from one of the wrong type, but costs zod its fast path
  // (about 1 µs per Encrypt), so it is asked only of bodies already refused.
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const messages = result.error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.map(String).join('.');
    const member = field.charAt(0).toLowerCase() + field.slice(1);
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return `Value null at '${member}' failed to satisfy constraint: Member must not be null`;
    }
    if (issue.code === 'invalid_value') {
      const value = typeof issue.input === 'string' ? ` '${shown(issue.input)}'` : '';
      return `Value${value} at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${issue.values.map(String).join(', ')}]`;
    }
    return `Value at '${member}' failed to satisfy constraint: ${issue.message}`;
  });
  const count = result.error.issues.length;
  throw validation(
    `${String(count)} validation error${count === 1 ? '' : 's'} detected: ${messages.join('; ')}`,
  );
}

/** An enum member's rejected value, as echoed back: bounded and on one line. */
const shown = (value: string): string =>
  (value.length > 64 ? `${value.slice(0, 64)}...` : value).replace(/\p{Cc}/gu, ' ');

/** Dates on the wire are epoch seconds (awsJson1_1 timestamps). */
export const epochSeconds = (date: Date): number => date.getTime() / 1000;

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
