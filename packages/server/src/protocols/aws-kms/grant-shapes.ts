import { GRANT_OPERATIONS, type GrantOperation, type GrantRecord } from '../../core/key-access.js';
import { type AwsPartition, keyArn } from './arn.js';
import { validation } from './aws-errors.js';
import { accountArn, principalArn } from './principal-arn.js';
import { epochSeconds } from './wire.js';

/** AWS GrantOperation values (the API reference's enum), Custos implements all but one. */
const AWS_GRANT_OPERATIONS = [
  ...GRANT_OPERATIONS.map((op) => op.slice('kms:'.length)),
  'DeriveSharedSecret',
];

/** AWS operation names (`Encrypt`) to Custos actions (`kms:Encrypt`). */
export function grantOperations(names: readonly string[]): GrantOperation[] {
  return names.map((name) => {
    const action = GRANT_OPERATIONS.find((op) => op === `kms:${name}`);
    if (action !== undefined) return action;
    if (name === 'DeriveSharedSecret') {
      throw validation(
        'DeriveSharedSecret is not supported: Custos keys do not derive shared secrets',
      );
    }
    throw validation(
      `1 validation error detected: Value '${name.slice(0, 64)}' at 'operations' failed to satisfy constraint: Member must satisfy enum value set: [${AWS_GRANT_OPERATIONS.join(', ')}]`,
    );
  });
}

/** A grant as ListGrants and ListRetirableGrants return it (AWS GrantListEntry). */
export function grantEntry(p: AwsPartition, grant: GrantRecord): Record<string, unknown> {
  const c = grant.constraints;
  return {
    KeyId: keyArn(p, grant.keyId),
    GrantId: grant.grantId,
    ...(grant.name !== null && { Name: grant.name }),
    CreationDate: epochSeconds(grant.createdAt),
    GranteePrincipal: principalArn(p, grant.granteePrincipal),
    ...(grant.retiringPrincipal !== null && {
      RetiringPrincipal: principalArn(p, grant.retiringPrincipal),
    }),
    IssuingAccount: accountArn(p),
    Operations: grant.operations.map((op) => op.slice('kms:'.length)),
    ...(c !== null && {
      Constraints: {
        ...(c.encryptionContextSubset !== undefined && {
          EncryptionContextSubset: c.encryptionContextSubset,
        }),
        ...(c.encryptionContextEquals !== undefined && {
          EncryptionContextEquals: c.encryptionContextEquals,
        }),
      },
    }),
  };
}

/** One page of grants as ListGrants and ListRetirableGrants answer it. */
export function grantPage(
  p: AwsPartition,
  page: { readonly grants: readonly GrantRecord[]; readonly nextCursor: string | null },
): Record<string, unknown> {
  return {
    Grants: page.grants.map((grant) => grantEntry(p, grant)),
    Truncated: page.nextCursor !== null,
    ...(page.nextCursor !== null && { NextMarker: page.nextCursor }),
  };
}
