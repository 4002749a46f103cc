import { z } from 'zod';
import { GRANT_ID_RE, grantIdOfToken } from '../../../service/index.js';
import {
  createGrant as createGrantService,
  listGrants as listGrantsService,
  listRetirableGrants as listRetirableGrantsService,
  retireGrant as retireGrantService,
  revokeGrant as revokeGrantService,
} from '../../../service/index.js';
import { keyRef } from '../arn.js';
import { AwsProtocolError, validation } from '../aws-errors.js';
import { grantTokensField, keyIdField, markerField } from '../fields.js';
import { grantOperations, grantPage } from '../grant-shapes.js';
import { grantPrincipal } from '../principal-arn.js';
import { type AwsOperation, parseBody } from '../wire.js';

const contextMap = z.record(z.string(), z.string());
const grantIdField = z.string().min(1).max(128);

const createSchema = z.object({
  KeyId: keyIdField,
  GranteePrincipal: z.string().min(1).max(256),
  RetiringPrincipal: z.string().min(1).max(256).optional(),
  Operations: z.array(z.string()).min(1),
  Constraints: z
    .object({
      EncryptionContextSubset: contextMap.optional(),
      EncryptionContextEquals: contextMap.optional(),
    })
    .optional(),
  GrantTokens: grantTokensField,
  Name: z.string().min(1).max(256).optional(),
  DryRun: z.boolean().optional(),
});

const invalidGrantId = () => new AwsProtocolError('InvalidGrantIdException', 'Invalid grant id');

/** TrentService.CreateGrant. */
export const createGrant: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(createSchema, body);
  if (input.DryRun === true) throw validation('DryRun is not supported');
  const constraints = input.Constraints;
  const out = await createGrantService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    granteePrincipal: grantPrincipal(partition, input.GranteePrincipal, 'GranteePrincipal'),
    ...(input.RetiringPrincipal !== undefined && {
      retiringPrincipal: grantPrincipal(partition, input.RetiringPrincipal, 'RetiringPrincipal'),
    }),
    operations: grantOperations(input.Operations),
    ...(constraints !== undefined && {
      constraints: {
        ...(constraints.EncryptionContextEquals !== undefined && {
          encryptionContextEquals: constraints.EncryptionContextEquals,
        }),
        ...(constraints.EncryptionContextSubset !== undefined && {
          encryptionContextSubset: constraints.EncryptionContextSubset,
        }),
      },
    }),
    ...(input.Name !== undefined && { name: input.Name }),
  });
  return { GrantToken: out.grantToken, GrantId: out.grantId };
};

const listSchema = z.object({
  KeyId: keyIdField,
  Limit: z.number().int().min(1).max(100).optional(),
  Marker: markerField,
  GrantId: grantIdField.optional(),
  GranteePrincipal: z.string().min(1).max(256).optional(),
});

/** TrentService.ListGrants. */
export const listGrants: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(listSchema, body);
  if (input.GrantId !== undefined && !GRANT_ID_RE.test(input.GrantId)) throw invalidGrantId();
  const page = await listGrantsService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    ...(input.GrantId !== undefined && { grantId: input.GrantId }),
    ...(input.GranteePrincipal !== undefined && {
      granteePrincipal: grantPrincipal(partition, input.GranteePrincipal, 'GranteePrincipal'),
    }),
    limit: input.Limit ?? 50,
    ...(input.Marker !== undefined && { cursor: input.Marker }),
  });
  return grantPage(partition, page);
};

const retirableSchema = z.object({
  RetiringPrincipal: z.string().min(1).max(256),
  Limit: z.number().int().min(1).max(100).optional(),
  Marker: markerField,
});

/** TrentService.ListRetirableGrants. */
export const listRetirableGrants: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(retirableSchema, body);
  const page = await listRetirableGrantsService(ctx, {
    retiringPrincipal: grantPrincipal(partition, input.RetiringPrincipal, 'RetiringPrincipal'),
    limit: input.Limit ?? 50,
    ...(input.Marker !== undefined && { cursor: input.Marker }),
  });
  return grantPage(partition, page);
};

const retireSchema = z.object({
  GrantToken: z.string().min(1).max(8192).optional(),
  KeyId: keyIdField.optional(),
  GrantId: grantIdField.optional(),
  DryRun: z.boolean().optional(),
});

/** TrentService.RetireGrant: by GrantToken, or by KeyId and GrantId. */
export const retireGrant: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(retireSchema, body);
  if (input.DryRun === true) throw validation('DryRun is not supported');
  if (input.GrantToken !== undefined && grantIdOfToken(input.GrantToken) === undefined) {
    throw new AwsProtocolError('InvalidGrantTokenException', 'Invalid grant token');
  }
  if (input.GrantId !== undefined && !GRANT_ID_RE.test(input.GrantId)) throw invalidGrantId();
  if (
    input.GrantToken === undefined &&
    (input.KeyId === undefined || input.GrantId === undefined)
  ) {
    throw validation('Either GrantToken, or both KeyId and GrantId, must be specified');
  }
  await retireGrantService(ctx, {
    ...(input.GrantToken !== undefined && { grantToken: input.GrantToken }),
    ...(input.KeyId !== undefined && { keyId: keyRef(partition, input.KeyId) }),
    ...(input.GrantId !== undefined && { grantId: input.GrantId }),
  });
  return {};
};

/** TrentService.RevokeGrant. */
export const revokeGrant: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(
    z.object({ KeyId: keyIdField, GrantId: grantIdField, DryRun: z.boolean().optional() }),
    body,
  );
  if (input.DryRun === true) throw validation('DryRun is not supported');
  if (!GRANT_ID_RE.test(input.GrantId)) throw invalidGrantId();
  await revokeGrantService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    grantId: input.GrantId,
  });
  return {};
};
