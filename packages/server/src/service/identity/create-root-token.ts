import type { PrincipalRecord, TokenRecord } from '../../core/identity.js';
import type { Kms } from '../context.js';
import { newAccessor, newTokenSecret, tokenId } from './token-secret.js';

export interface RootToken {
  /** The secret: write it where the operator can read it, print it once, keep it nowhere else. */
  readonly token: string;
  readonly accessor: string;
}

/**
 * Creates the root principal (if missing) and a token for it that never
 * expires. Called by the server's first start and by `custos init`; it
 * bypasses authorization because there is nobody to authorize yet.
 *
 * @example
 * const { token } = await createRootToken(kms);
 * await writeFile(join(dataDir, 'root-token'), token, { mode: 0o600 });
 */
export async function createRootToken(kms: Kms): Promise<RootToken> {
  const secret = newTokenSecret();
  const now = kms.clock.now();
  const token: TokenRecord = {
    id: tokenId(secret),
    accessor: newAccessor(),
    principalId: 'root',
    policies: [],
    displayName: 'root',
    createdAt: now,
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
  };
  await kms.store.transaction(async (tx) => {
    if ((await tx.getPrincipal('root')) === undefined) {
      const root: PrincipalRecord = {
        id: 'root',
        kind: 'root',
        policies: [],
        disabled: false,
        createdAt: now,
        rowVersion: 1,
      };
      await tx.insertPrincipal(root);
    }
    await tx.insertToken(token);
  });
  return { token: secret, accessor: token.accessor };
}
