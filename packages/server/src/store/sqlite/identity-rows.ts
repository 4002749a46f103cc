import { InternalError, type KmsError } from '../../core/errors.js';
import {
  CERTIFICATE_MATCHES,
  PRINCIPAL_KINDS,
  type CertificateMapping,
  type PolicyDocument,
  type PolicyRecord,
  type PrincipalRecord,
  type TokenRecord,
} from '../../core/identity.js';
import { millis } from './rows.js';

// Identity row shapes as SQLite returns them, and the mapping to the model.
// Rows are checked when read: a value this code did not write is Internal,
// naming the column and never the value.

export interface PrincipalRow {
  readonly id: string;
  readonly kind: string;
  readonly policies: string;
  readonly disabled: number;
  readonly created_at: number;
  readonly row_version: number;
}

export interface TokenRow {
  readonly id: string;
  readonly accessor: string;
  readonly principal_id: string;
  readonly policies: string;
  readonly display_name: string;
  readonly created_at: number;
  readonly expires_at: number | null;
  readonly revoked_at: number | null;
  readonly last_used_at: number | null;
}

export interface PolicyRow {
  readonly name: string;
  readonly document: string;
  readonly updated_at: number;
  readonly row_version: number;
}

export interface CertificateMappingRow {
  readonly match_kind: string;
  readonly match_value: string;
  readonly principal_id: string;
  readonly created_at: number;
}

export function toPrincipal(row: PrincipalRow): PrincipalRecord {
  const kind = PRINCIPAL_KINDS.find((k) => k === row.kind);
  if (kind === undefined) throw corrupt('principals.kind', row.id);
  return {
    id: row.id,
    kind,
    policies: stringArray(row.policies, 'principals.policies', row.id),
    disabled: row.disabled !== 0,
    createdAt: new Date(row.created_at),
    rowVersion: row.row_version,
  };
}

export function principalRow(principal: PrincipalRecord): PrincipalRow {
  return {
    id: principal.id,
    kind: principal.kind,
    policies: JSON.stringify(principal.policies),
    disabled: principal.disabled ? 1 : 0,
    created_at: millis(principal.createdAt),
    row_version: principal.rowVersion,
  };
}

export function toToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    accessor: row.accessor,
    principalId: row.principal_id,
    policies: stringArray(row.policies, 'tokens.policies', row.accessor),
    displayName: row.display_name,
    createdAt: new Date(row.created_at),
    expiresAt: dateOrNull(row.expires_at),
    revokedAt: dateOrNull(row.revoked_at),
    lastUsedAt: dateOrNull(row.last_used_at),
  };
}

export function tokenRow(token: TokenRecord): TokenRow {
  return {
    id: token.id,
    accessor: token.accessor,
    principal_id: token.principalId,
    policies: JSON.stringify(token.policies),
    display_name: token.displayName,
    created_at: millis(token.createdAt),
    expires_at: millisOrNull(token.expiresAt),
    revoked_at: millisOrNull(token.revokedAt),
    last_used_at: millisOrNull(token.lastUsedAt),
  };
}

export function toPolicy(row: PolicyRow): PolicyRecord {
  return {
    name: row.name,
    document: policyDocument(row.document, row.name),
    updatedAt: new Date(row.updated_at),
    rowVersion: row.row_version,
  };
}

export function policyRow(policy: PolicyRecord): PolicyRow {
  return {
    name: policy.name,
    document: JSON.stringify(policy.document),
    updated_at: millis(policy.updatedAt),
    row_version: policy.rowVersion,
  };
}

export function toCertificateMapping(row: CertificateMappingRow): CertificateMapping {
  const match = CERTIFICATE_MATCHES.find((m) => m === row.match_kind);
  if (match === undefined) throw corrupt('certificate_mappings.match_kind', row.principal_id);
  return {
    match,
    value: row.match_value,
    principalId: row.principal_id,
    createdAt: new Date(row.created_at),
  };
}

export function certificateMappingRow(mapping: CertificateMapping): CertificateMappingRow {
  return {
    match_kind: mapping.match,
    match_value: mapping.value,
    principal_id: mapping.principalId,
    created_at: millis(mapping.createdAt),
  };
}

function millisOrNull(date: Date | null): number | null {
  return date === null ? null : millis(date);
}

function dateOrNull(value: number | null): Date | null {
  return value === null ? null : new Date(value);
}

function parse(json: string, column: string, id: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw corrupt(column, id);
  }
}

function stringArray(json: string, column: string, id: string): string[] {
  const value = parse(json, column, id);
  if (!isStringArray(value)) throw corrupt(column, id);
  return value;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * The document's outline only: the store cannot know the policy language
 * (authz validates it in full when it loads policies), but it does promise
 * a version string and a statement list.
 */
function policyDocument(json: string, name: string): PolicyDocument {
  const value = parse(json, 'policies.document', name);
  if (
    typeof value !== 'object' ||
    value === null ||
    !('version' in value) ||
    typeof value.version !== 'string' ||
    !('statements' in value) ||
    !Array.isArray(value.statements)
  ) {
    throw corrupt('policies.document', name);
  }
  return value as PolicyDocument;
}

function corrupt(column: string, id: string): KmsError {
  return new InternalError(`stored ${column} of ${id} is malformed`);
}
