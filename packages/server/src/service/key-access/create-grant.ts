import { keySpec } from '@custos/crypto';
import {
  InvalidInputError,
  KeyPendingDeletionError,
  LimitExceededError,
} from '../../core/errors.js';
import type { GrantConstraints, GrantOperation, GrantRecord } from '../../core/key-access.js';
import { auditedTransaction } from '../audited.js';
import type { RequestContext } from '../context.js';
import { parseInput } from '../identity/identity-input.js';
import { assertNotDestroyed } from '../update-key.js';
import { authorizeOnGrant, loadKeyFor, withinParentGrant } from './grant-authorization.js';
import { grantToken, newGrantId } from './grant-token.js';
import { grantInputSchema, sameGrant } from './key-access-input.js';
import { loadKeyAccess } from './load-key-access.js';

export interface CreateGrantInput {
  readonly keyId: string;
  /** The Custos principal id the grant allows. */
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  readonly operations: readonly GrantOperation[];
  readonly constraints?: GrantConstraints;
  /** Retrying with the same name and parameters returns the same grant. */
  readonly name?: string;
}

export interface CreateGrantOutput {
  readonly grantId: string;
  readonly grantToken: string;
  readonly keyId: string;
}

/**
 * Gives a principal some operations on one key (AWS KMS CreateGrant). The
 * grant takes effect on this node as soon as this returns, through every
 * door. Needs kms:CreateGrant on the key; one who holds it only through a
 * grant may pass on no more than that grant holds.
 *
 * @example
 * const { grantId } = await createGrant(ctx, { keyId, granteePrincipal: 'service/app', operations: ['kms:Encrypt'] });
 */
export async function createGrant(
  ctx: RequestContext,
  input: CreateGrantInput,
): Promise<CreateGrantOutput> {
  const parsed = parseInput(grantInputSchema, input);
  const loaded = await loadKeyFor(ctx, parsed.keyId, 'kms:CreateGrant');
  const decision = authorizeOnGrant(ctx, 'kms:CreateGrant', loaded, parsed.keyId);
  assertNotDestroyed(loaded);
  const keyId = loaded.key.id;
  if (loaded.key.state === 'PendingDeletion') {
    throw new KeyPendingDeletionError(`key ${keyId} is pending deletion`);
  }
  if (parsed.constraints !== undefined && !takesContext(loaded.key.spec, loaded.key.usage)) {
    throw new InvalidInputError(
      'grant constraints need a symmetric encryption key: operations with other keys take no encryption context',
    );
  }
  if (decision.statement.startsWith('grant/')) {
    const parent = await ctx.kms.store.getGrant(decision.statement.slice('grant/'.length));
    if (parent === undefined || !withinParentGrant(parent, parsed.operations, parsed.constraints)) {
      throw new InvalidInputError(
        'a grant created under a grant may hold only its operations, under constraints at least as strict',
      );
    }
  }
  const wanted = {
    granteePrincipal: parsed.granteePrincipal,
    retiringPrincipal: parsed.retiringPrincipal ?? null,
    operations: parsed.operations,
    constraints: parsed.constraints ?? null,
  };
  const grant = await auditedTransaction(
    ctx,
    async (tx) => {
      if (parsed.name !== undefined) {
        const named = await tx.listGrants({ keyId, name: parsed.name }, { limit: 1000 });
        const same = named.items.find((g) => sameGrant(g, wanted));
        if (same !== undefined) return same;
      }
      // Every grant is held in memory for decisions: a key may not gather them without bound.
      const max = ctx.kms.config.maxGrantsPerKey;
      if ((await tx.countGrants(keyId)) >= max) {
        throw new LimitExceededError(
          `key ${parsed.keyId} has ${String(max)} grants; retire some first`,
        );
      }
      const record: GrantRecord = {
        grantId: newGrantId(),
        keyId,
        name: parsed.name ?? null,
        ...wanted,
        issuingPrincipal: ctx.principal.id,
        createdAt: ctx.kms.clock.now(),
      };
      await tx.insertGrant(record);
      return record;
    },
    keyId,
  );
  await loadKeyAccess(ctx.kms, keyId);
  return { grantId: grant.grantId, grantToken: grantToken(grant.grantId), keyId };
}

function takesContext(spec: Parameters<typeof keySpec>[0], usage: string): boolean {
  return keySpec(spec).symmetric && usage === 'ENCRYPT_DECRYPT';
}
