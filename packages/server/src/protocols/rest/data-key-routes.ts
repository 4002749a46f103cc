import { z } from 'zod';
import {
  DATA_KEY_PAIR_SPECS,
  DATA_KEY_SPECS,
  generateDataKey,
  generateDataKeyPair,
} from '../../service/index.js';
import { base64Text, encryptionContext, keyRef, secretToBase64, toBase64 } from './json.js';
import { jsonOperation, keyRoute, type AnyJsonOperation } from './operation.js';
import type { Deprecation, RestRoute } from './route.js';

const TAG = 'Data keys';
const withPlaintext = z
  .boolean()
  .default(true)
  .meta({ description: 'False: return only the encrypted copy' });

const dataKeyBody = z.strictObject({
  keySpec: z.enum(DATA_KEY_SPECS).optional(),
  numberOfBytes: z.number().int().optional().meta({ description: '1 to 1024' }),
  encryptionContext: encryptionContext.optional(),
  withPlaintext,
});

export const generateDataKeyOperation = jsonOperation({
  name: 'generateDataKey',
  summary: 'A fresh data key, encrypted under a key (and in plaintext)',
  tag: TAG,
  input: dataKeyBody.extend({ keyId: keyRef }),
  output: z.strictObject({
    plaintext: base64Text.optional(),
    ciphertext: base64Text,
    keyId: z.uuid(),
    keyVersion: z.number().int(),
  }),
  run: async (ctx, input) => {
    const { plaintext, ...out } = await generateDataKey(ctx, input);
    return {
      ...(plaintext === undefined ? {} : { plaintext: secretToBase64(plaintext) }),
      ...out,
      ciphertext: toBase64(out.ciphertext),
    };
  },
});

const dataKeyPairBody = z.strictObject({
  keyPairSpec: z.enum(DATA_KEY_PAIR_SPECS),
  encryptionContext: encryptionContext.optional(),
  withPlaintext,
});

export const generateDataKeyPairOperation = jsonOperation({
  name: 'generateDataKeyPair',
  summary: 'A fresh asymmetric key pair, its private key encrypted under a key',
  tag: TAG,
  input: dataKeyPairBody.extend({ keyId: keyRef }),
  output: z.strictObject({
    publicKey: base64Text.meta({ description: 'SPKI DER, base64' }),
    privateKeyCiphertext: base64Text,
    privateKeyPlaintext: base64Text.optional().meta({ description: 'PKCS#8 DER, base64' }),
    keyId: z.uuid(),
    keyVersion: z.number().int(),
    keyPairSpec: z.enum(DATA_KEY_PAIR_SPECS),
  }),
  run: async (ctx, input) => {
    const { privateKeyPlaintext, ...out } = await generateDataKeyPair(ctx, input);
    return {
      ...out,
      publicKey: toBase64(out.publicKey),
      privateKeyCiphertext: toBase64(out.privateKeyCiphertext),
      ...(privateKeyPlaintext === undefined
        ? {}
        : { privateKeyPlaintext: secretToBase64(privateKeyPlaintext) }),
    };
  },
});

/** The pre-1.0 name of POST /keys/{key}/data-key, answered until its sunset. */
export const GENERATE_DATA_KEY_ALIAS_DEPRECATION: Deprecation = {
  since: new Date('2026-01-01T00:00:00Z'),
  sunset: new Date('2027-01-01T00:00:00Z'),
  link: 'https://custos.dev/docs/rest-api#data-keys',
};

export const dataKeyOperations: readonly AnyJsonOperation[] = [
  generateDataKeyOperation,
  generateDataKeyPairOperation,
];

export const dataKeyRoutes: readonly RestRoute[] = [
  keyRoute('POST', '/keys/:key/data-key', generateDataKeyOperation, dataKeyBody),
  keyRoute('POST', '/keys/:key/generate-data-key', generateDataKeyOperation, dataKeyBody, {
    operationId: 'generateDataKeyDeprecated',
    deprecated: GENERATE_DATA_KEY_ALIAS_DEPRECATION,
  }),
  keyRoute('POST', '/keys/:key/data-key-pair', generateDataKeyPairOperation, dataKeyPairBody),
];
