import { z } from 'zod';
import {
  deleteImportedKeyMaterial as deleteService,
  EXPIRATION_MODELS,
  getParametersForImport as parametersService,
  importKeyMaterial as importService,
} from '../../../service/index.js';
import {
  WRAPPING_ALGORITHM_NAMES,
  WRAPPING_KEY_SPECS,
  type WrappingAlgorithm,
} from '../../../service/import-wrapping.js';
import { keyArn, keyRef } from '../arn.js';
import { blobField, keyIdField } from '../fields.js';
import { type AwsOperation, b64, epochSeconds, parseBody } from '../wire.js';

const wrappingAlgorithm = z
  .string()
  .refine((name): name is WrappingAlgorithm =>
    (WRAPPING_ALGORITHM_NAMES as string[]).includes(name),
  );

const parametersSchema = z.object({
  KeyId: keyIdField,
  WrappingAlgorithm: wrappingAlgorithm,
  WrappingKeySpec: z.enum(WRAPPING_KEY_SPECS),
});

/** TrentService.GetParametersForImport. */
export const getParametersForImport: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(parametersSchema, body);
  const out = await parametersService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    wrappingAlgorithm: input.WrappingAlgorithm,
    wrappingKeySpec: input.WrappingKeySpec,
  });
  return {
    KeyId: keyArn(partition, out.keyId),
    ImportToken: b64(out.importToken),
    PublicKey: b64(out.publicKey),
    ParametersValidTo: epochSeconds(out.parametersValidTo),
  };
};

const importSchema = z.object({
  KeyId: keyIdField,
  ImportToken: blobField(6144),
  EncryptedKeyMaterial: blobField(6144),
  ValidTo: z.number().optional(),
  ExpirationModel: z.enum(EXPIRATION_MODELS).optional(),
});

/** TrentService.ImportKeyMaterial: ValidTo is epoch seconds on the wire. */
export const importKeyMaterial: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(importSchema, body);
  await importService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    importToken: input.ImportToken,
    encryptedKeyMaterial: input.EncryptedKeyMaterial,
    ...(input.ExpirationModel !== undefined && { expirationModel: input.ExpirationModel }),
    ...(input.ValidTo !== undefined && { validTo: new Date(input.ValidTo * 1000) }),
  });
  return {};
};

/** TrentService.DeleteImportedKeyMaterial. */
export const deleteImportedKeyMaterial: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(z.object({ KeyId: keyIdField }), body);
  await deleteService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return {};
};
