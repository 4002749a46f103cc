import type { Kms } from '../context.js';

/**
 * Loads every stored policy into the authorizer (a PolicyAuthorizer keeps
 * them in memory). Called at start and after each policy write; an
 * authorizer that keeps no policies ignores it.
 *
 * @example
 * const kms = createKms({ store, keyring, authorizer: new PolicyAuthorizer() });
 * await loadPolicies(kms);
 */
export async function loadPolicies(kms: Kms): Promise<void> {
  await kms.authorizer.refresh?.(kms.store);
}
