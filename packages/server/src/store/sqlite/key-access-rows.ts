import { InternalError, type KmsError } from '../../core/errors.js';
import type { AccessKeyRecord } from '../../core/identity.js';
import {
  GRANT_OPERATIONS,
  type GrantConstraints,
  type GrantOperation,
  type GrantRecord,
  type KeyPolicy,
  type KeyPolicyRecord,
} from '../../core/key-access.js';
import { millis } from './rows.js';

// Row shapes of access_keys, grants and key_policies, and the mapping to the
// model. JSON columns are checked for their outline when read; the
// authorizer validates a key policy in full when it loads it.

export interface AccessKeyRow {
  readonly id: string;
  readonly principal_id: string;
  readonly wrapped_secret: Buffer;
  readonly created_at: number;
}

export interface GrantRow {
  readonly id: string;
  readonly key_id: string;
  readonly name: string | null;
  readonly grantee: string;
  readonly retiring: string | null;
  readonly issuer: string;
  readonly operations: string;
  readonly constraints: string | null;
  readonly created_at: number;
}

export interface KeyPolicyRow {
  readonly key_id: string;
  readonly text: string;
  readonly policy: string;
  readonly updated_at: number;
  readonly row_version: number;
}

export const toAccessKey = (row: AccessKeyRow): AccessKeyRecord => ({
  accessKeyId: row.id,
  principalId: row.principal_id,
  wrappedSecret: row.wrapped_secret,
  createdAt: new Date(row.created_at),
});

export const accessKeyRow = (record: AccessKeyRecord): AccessKeyRow => ({
  id: record.accessKeyId,
  principal_id: record.principalId,
  wrapped_secret: record.wrappedSecret,
  created_at: millis(record.createdAt),
});

export function toGrant(row: GrantRow): GrantRecord {
  return {
    grantId: row.id,
    keyId: row.key_id,
    name: row.name,
    granteePrincipal: row.grantee,
    retiringPrincipal: row.retiring,
    issuingPrincipal: row.issuer,
    operations: operations(row),
    constraints: row.constraints === null ? null : constraints(row),
    createdAt: new Date(row.created_at),
  };
}

export const grantRow = (grant: GrantRecord): GrantRow => ({
  id: grant.grantId,
  key_id: grant.keyId,
  name: grant.name,
  grantee: grant.granteePrincipal,
  retiring: grant.retiringPrincipal,
  issuer: grant.issuingPrincipal,
  operations: JSON.stringify(grant.operations),
  constraints: grant.constraints === null ? null : JSON.stringify(grant.constraints),
  created_at: millis(grant.createdAt),
});

export function toKeyPolicy(row: KeyPolicyRow): KeyPolicyRecord {
  const policy = parse(row.policy, 'key_policies.policy', row.key_id);
  if (!isObject(policy) || !Array.isArray(policy.statements)) {
    throw corrupt('key_policies.policy', row.key_id);
  }
  return {
    keyId: row.key_id,
    text: row.text,
    policy: policy as unknown as KeyPolicy,
    updatedAt: new Date(row.updated_at),
    rowVersion: row.row_version,
  };
}

export const keyPolicyRow = (record: KeyPolicyRecord): KeyPolicyRow => ({
  key_id: record.keyId,
  text: record.text,
  policy: JSON.stringify(record.policy),
  updated_at: millis(record.updatedAt),
  row_version: record.rowVersion,
});

function operations(row: GrantRow): GrantOperation[] {
  const value = parse(row.operations, 'grants.operations', row.id);
  const known: readonly string[] = GRANT_OPERATIONS;
  if (!Array.isArray(value) || !value.every((op) => typeof op === 'string' && known.includes(op))) {
    throw corrupt('grants.operations', row.id);
  }
  return value as GrantOperation[];
}

function constraints(row: GrantRow): GrantConstraints {
  const value = parse(row.constraints ?? '', 'grants.constraints', row.id);
  if (!isObject(value)) throw corrupt('grants.constraints', row.id);
  const out: { -readonly [K in keyof GrantConstraints]: GrantConstraints[K] } = {};
  for (const name of ['encryptionContextEquals', 'encryptionContextSubset'] as const) {
    const map = value[name];
    if (map === undefined) continue;
    if (!isStringMap(map)) throw corrupt('grants.constraints', row.id);
    out[name] = map;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

function parse(json: string, column: string, id: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw corrupt(column, id);
  }
}

function corrupt(column: string, id: string): KmsError {
  return new InternalError(`stored ${column} of ${id} is malformed`);
}
