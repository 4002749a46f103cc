import { audited } from './audited.js';
import type { RequestContext } from './context.js';

/**
 * Writes the audit record of a request a door refused before any operation
 * ran (a credential that did not authenticate), then rethrows `error`, or
 * UnavailableError if the record could not be written.
 *
 * @example
 * try { principal = await authenticate(request) } catch (error) { await refuse(ctx, 'authenticate', error) }
 */
export async function refuse(ctx: RequestContext, operation: string, error: Error): Promise<never> {
  await audited(operation, () => Promise.reject(error))(ctx, undefined);
  // audited() rethrows the error it recorded; this line only satisfies the type.
  throw error;
}
