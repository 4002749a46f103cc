import { KEY_SPEC_NAMES } from '@custos/crypto';
import { z } from 'zod';
import {
  backupKey,
  deleteImportedKeyMaterial,
  EXPIRATION_MODELS,
  EXPORT_WRAPPING_ALGORITHMS,
  exportKey,
  getParametersForImport,
  importKeyMaterial,
  MAX_BACKUP_BYTES,
  restoreKey,
} from '../../service/index.js';
import { WRAPPING_ALGORITHM_NAMES, WRAPPING_KEY_SPECS } from '../../service/import-wrapping.js';
import { base64Bytes, base64Text, isoDate, isoDateInput, keyRef, toBase64 } from './json.js';
import { keyViewJson, renderKeyView } from './key-view-json.js';
import { jsonOperation, keyRoute, operationRoute, type AnyJsonOperation } from './operation.js';
import type { RestRoute } from './route.js';

const TAG = 'Import, export and backup';

const parametersBody = z.strictObject({
  wrappingAlgorithm: z.enum(WRAPPING_ALGORITHM_NAMES),
  wrappingKeySpec: z.enum(WRAPPING_KEY_SPECS),
});

export const getParametersForImportOperation = jsonOperation({
  name: 'getParametersForImport',
  summary: 'A wrapping public key and import token for importing key material',
  tag: TAG,
  input: parametersBody.extend({ keyId: keyRef }),
  output: z.strictObject({
    keyId: z.uuid(),
    importToken: base64Text,
    publicKey: base64Text.meta({ description: 'RSA wrapping key, SPKI DER, base64' }),
    parametersValidTo: isoDate,
  }),
  run: async (ctx, input) => {
    const out = await getParametersForImport(ctx, input);
    return {
      keyId: out.keyId,
      importToken: toBase64(out.importToken),
      publicKey: toBase64(out.publicKey),
      parametersValidTo: out.parametersValidTo.toISOString(),
    };
  },
});

const importBody = z.strictObject({
  importToken: base64Bytes(64, 'Import token'),
  encryptedKeyMaterial: base64Bytes(16 * 1024, 'Key material wrapped to the wrapping key'),
  expirationModel: z.enum(EXPIRATION_MODELS).optional(),
  validTo: isoDateInput.optional(),
});

export const importKeyMaterialOperation = jsonOperation({
  name: 'importKeyMaterial',
  summary: 'Import wrapped key material into an EXTERNAL key',
  tag: TAG,
  input: importBody.extend({ keyId: keyRef }),
  output: keyViewJson,
  run: async (ctx, input) => renderKeyView(await importKeyMaterial(ctx, input)),
});

const keyOnly = z.strictObject({ keyId: keyRef });

export const deleteImportedKeyMaterialOperation = jsonOperation({
  name: 'deleteImportedKeyMaterial',
  summary: 'Delete imported key material (the key waits for a new import)',
  tag: TAG,
  input: keyOnly,
  output: keyViewJson,
  run: async (ctx, input) => renderKeyView(await deleteImportedKeyMaterial(ctx, input)),
});

const PEM_PREFIX = '-----BEGIN';
const exportBody = z.strictObject({
  publicKey: z
    .string()
    .min(1)
    .max(16 * 1024)
    .meta({ description: "Recipient's RSA public key: PEM, or base64 SPKI DER" }),
  wrappingAlgorithm: z.enum(EXPORT_WRAPPING_ALGORITHMS).optional(),
  keyVersion: z.number().int().min(1).max(0xffffffff).optional(),
});

export const exportKeyOperation = jsonOperation({
  name: 'exportKey',
  summary: 'Export key material wrapped to an RSA public key (exportable keys only)',
  tag: TAG,
  input: exportBody.extend({ keyId: keyRef }),
  output: z.strictObject({
    keyId: z.uuid(),
    keyVersion: z.number().int(),
    spec: z.enum(KEY_SPEC_NAMES),
    wrappingAlgorithm: z.enum(EXPORT_WRAPPING_ALGORITHMS),
    wrappedKeyMaterial: base64Text,
  }),
  run: async (ctx, { publicKey, ...input }) => {
    const key = publicKey.startsWith(PEM_PREFIX) ? publicKey : Buffer.from(publicKey, 'base64');
    const out = await exportKey(ctx, { ...input, publicKey: key });
    return { ...out, wrappedKeyMaterial: toBase64(out.wrappedKeyMaterial) };
  },
});

export const backupKeyOperation = jsonOperation({
  name: 'backupKey',
  summary: 'An opaque backup of a key, restorable under the same domain key',
  tag: TAG,
  input: keyOnly,
  output: z.strictObject({ keyId: z.uuid(), backup: base64Text }),
  run: async (ctx, input) => {
    const out = await backupKey(ctx, input);
    return { keyId: out.keyId, backup: toBase64(out.backup) };
  },
});

const restoreBody = z.strictObject({ backup: base64Bytes(MAX_BACKUP_BYTES, 'Key backup') });

export const restoreKeyOperation = jsonOperation({
  name: 'restoreKey',
  summary: 'Restore a key from its backup',
  tag: TAG,
  input: restoreBody,
  output: keyViewJson,
  status: 201,
  run: async (ctx, input) => renderKeyView(await restoreKey(ctx, input)),
});

export const importOperations: readonly AnyJsonOperation[] = [
  getParametersForImportOperation,
  importKeyMaterialOperation,
  deleteImportedKeyMaterialOperation,
  exportKeyOperation,
  backupKeyOperation,
  restoreKeyOperation,
];

export const importRoutes: readonly RestRoute[] = [
  keyRoute('POST', '/keys/:key/import-parameters', getParametersForImportOperation, parametersBody),
  keyRoute('POST', '/keys/:key/import', importKeyMaterialOperation, importBody),
  keyRoute('DELETE', '/keys/:key/material', deleteImportedKeyMaterialOperation),
  keyRoute('POST', '/keys/:key/export', exportKeyOperation, exportBody),
  keyRoute('POST', '/keys/:key/backup', backupKeyOperation),
  operationRoute({
    method: 'POST',
    path: '/keys/restore',
    operation: restoreKeyOperation,
    body: restoreBody,
    // A backup is base64 (4/3 of its bytes) inside a small JSON envelope.
    bodyLimit: Math.ceil((MAX_BACKUP_BYTES * 4) / 3) + 1024,
    toInput: ({ body }) => body,
  }),
];
