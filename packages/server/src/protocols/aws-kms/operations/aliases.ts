import { z } from 'zod';
import {
  createAlias as createAliasService,
  deleteAlias as deleteAliasService,
  listAliases as listAliasesService,
  updateAlias as updateAliasService,
} from '../../../service/index.js';
import { aliasArn, keyRef } from '../arn.js';
import { keyIdField, limitField, markerField } from '../fields.js';
import { type AwsOperation, epochSeconds, parseBody } from '../wire.js';

const aliasName = z.string().min(1).max(256);
const targetSchema = z.object({ AliasName: aliasName, TargetKeyId: keyIdField });

/** TrentService.CreateAlias. */
export const createAlias: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(targetSchema, body);
  await createAliasService(ctx, {
    alias: input.AliasName,
    keyId: keyRef(partition, input.TargetKeyId),
  });
  return {};
};

/** TrentService.UpdateAlias. */
export const updateAlias: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(targetSchema, body);
  await updateAliasService(ctx, {
    alias: input.AliasName,
    keyId: keyRef(partition, input.TargetKeyId),
  });
  return {};
};

/** TrentService.DeleteAlias. */
export const deleteAlias: AwsOperation = async ({ ctx }, body) => {
  const input = parseBody(z.object({ AliasName: aliasName }), body);
  await deleteAliasService(ctx, { alias: input.AliasName });
  return {};
};

const listSchema = z.object({
  KeyId: keyIdField.optional(),
  Limit: limitField,
  Marker: markerField,
});

/** TrentService.ListAliases. */
export const listAliases: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(listSchema, body);
  const page = await listAliasesService(ctx, {
    ...(input.KeyId !== undefined && { keyId: keyRef(partition, input.KeyId) }),
    ...(input.Limit !== undefined && { limit: input.Limit }),
    ...(input.Marker !== undefined && { cursor: input.Marker }),
  });
  return {
    Aliases: page.aliases.map((alias) => ({
      AliasName: alias.name,
      AliasArn: aliasArn(partition, alias.name),
      TargetKeyId: alias.keyId,
      CreationDate: epochSeconds(alias.createdAt),
      LastUpdatedDate: epochSeconds(alias.updatedAt),
    })),
    Truncated: page.nextCursor !== null,
    ...(page.nextCursor !== null && { NextMarker: page.nextCursor }),
  };
};
