import { z } from 'zod';
import { UnsupportedError } from '../../../core/errors.js';
import { describeKey as describeService } from '../../../service/index.js';
import { keyRef } from '../arn.js';
import { keyIdField } from '../fields.js';
import { type AwsOperation, parseBody } from '../wire.js';

/**
 * Grants are not implemented yet: access is decided by Custos policies
 * attached to principals. Listing answers truthfully (there are none);
 * creating, retiring and revoking are refused with UnsupportedOperationException.
 */
const unsupported = () =>
  new UnsupportedError(
    'grants are not supported; grant access with Custos policies (PUT /api/v1/policies/{name})',
  );

const listSchema = z.object({
  KeyId: keyIdField,
  Limit: z.number().optional(),
  Marker: z.string().optional(),
  GrantId: z.string().optional(),
  GranteePrincipal: z.string().optional(),
});

/** TrentService.ListGrants. */
export const listGrants: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(listSchema, body);
  await describeService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return { Grants: [], Truncated: false };
};

/** TrentService.ListRetirableGrants. */
export const listRetirableGrants: AwsOperation = (_call, body) => {
  parseBody(z.object({ RetiringPrincipal: z.string().min(1) }).loose(), body);
  return Promise.resolve({ Grants: [], Truncated: false });
};

/** TrentService.CreateGrant. */
export const createGrant: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(
    z.object({ KeyId: keyIdField, GranteePrincipal: z.string().min(1) }).loose(),
    body,
  );
  await describeService(ctx, { keyId: keyRef(partition, input.KeyId) });
  throw unsupported();
};

/** TrentService.RetireGrant. */
export const retireGrant: AwsOperation = () => Promise.reject(unsupported());

/** TrentService.RevokeGrant. */
export const revokeGrant: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(z.object({ KeyId: keyIdField, GrantId: z.string().min(1) }), body);
  await describeService(ctx, { keyId: keyRef(partition, input.KeyId) });
  throw unsupported();
};
