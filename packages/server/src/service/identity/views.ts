import type {
  CertificateMapping,
  PolicyDocument,
  PolicyRecord,
  PrincipalKind,
  PrincipalRecord,
  TokenRecord,
} from '../../core/identity.js';
import type { Kms } from '../context.js';
import { identityState } from './identity-state.js';

// What identity operations return: records without anything secret. A token
// view has its accessor, never its id (the hash of its secret).

export interface PrincipalView {
  readonly id: string;
  readonly kind: PrincipalKind;
  readonly policies: readonly string[];
  readonly disabled: boolean;
  readonly createdAt: Date;
}

export interface TokenView {
  readonly accessor: string;
  readonly principal: string;
  readonly policies: readonly string[];
  readonly displayName: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

export interface PolicyView {
  readonly name: string;
  readonly document: PolicyDocument;
  readonly rowVersion: number;
  readonly updatedAt: Date;
}

export interface CertificateMappingView {
  readonly match: CertificateMapping['match'];
  readonly value: string;
  readonly principal: string;
  readonly createdAt: Date;
}

export function principalView(record: PrincipalRecord): PrincipalView {
  const { id, kind, policies, disabled, createdAt } = record;
  return { id, kind, policies, disabled, createdAt };
}

/** Last use includes what was recorded in memory and not yet written. */
export function tokenView(kms: Kms, record: TokenRecord): TokenView {
  const pending = identityState(kms).uses.pending(record.id);
  const lastUsedAt =
    pending !== undefined && (record.lastUsedAt === null || pending > record.lastUsedAt)
      ? pending
      : record.lastUsedAt;
  return {
    accessor: record.accessor,
    principal: record.principalId,
    policies: record.policies,
    displayName: record.displayName,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    lastUsedAt,
  };
}

export function policyView(record: PolicyRecord): PolicyView {
  const { name, document, rowVersion, updatedAt } = record;
  return { name, document, rowVersion, updatedAt };
}

export function mappingView(mapping: CertificateMapping): CertificateMappingView {
  return {
    match: mapping.match,
    value: mapping.value,
    principal: mapping.principalId,
    createdAt: mapping.createdAt,
  };
}
