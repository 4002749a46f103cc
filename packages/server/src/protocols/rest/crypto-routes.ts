import { ENCRYPTION_ALGORITHMS } from '@custos/crypto';
import { z } from 'zod';
import {
  decrypt,
  encrypt,
  generateRandom,
  MAX_CIPHERTEXT_BYTES,
  reEncrypt,
} from '../../service/index.js';
import {
  base64Bytes,
  base64Text,
  encryptionContext,
  keyRef,
  secretToBase64,
  toBase64,
} from './json.js';
import { jsonOperation, keyRoute, operationRoute, type AnyJsonOperation } from './operation.js';
import type { RestRoute } from './route.js';

const TAG = 'Encryption';

/**
 * A transport bound only: the service refuses plaintext over its configured
 * limit (4 KiB by default) with its own INVALID_INPUT.
 */
export const MAX_PLAINTEXT_TRANSPORT_BYTES = 64 * 1024;

const algorithm = z.enum(ENCRYPTION_ALGORITHMS);
const ciphertext = base64Bytes(MAX_CIPHERTEXT_BYTES, 'Ciphertext');

const encryptBody = z.strictObject({
  plaintext: base64Bytes(MAX_PLAINTEXT_TRANSPORT_BYTES, 'Plaintext'),
  encryptionContext: encryptionContext.optional(),
  algorithm: algorithm.optional(),
});
const encryptOutput = z.strictObject({
  ciphertext: base64Text,
  keyId: z.uuid(),
  keyVersion: z.number().int(),
  algorithm,
});

export const encryptOperation = jsonOperation({
  name: 'encrypt',
  summary: 'Encrypt up to 4 KiB under a key',
  tag: TAG,
  input: encryptBody.extend({ keyId: keyRef }),
  output: encryptOutput,
  run: async (ctx, input) => {
    try {
      const out = await encrypt(ctx, input);
      return { ...out, ciphertext: toBase64(out.ciphertext) };
    } finally {
      input.plaintext.fill(0);
    }
  },
});

const decryptInput = z.strictObject({
  ciphertext,
  encryptionContext: encryptionContext.optional(),
  keyId: keyRef.optional().meta({ description: 'Required for RSA ciphertexts only' }),
  algorithm: algorithm.optional(),
});

export const decryptOperation = jsonOperation({
  name: 'decrypt',
  summary: 'Decrypt a ciphertext (the ciphertext names its key)',
  tag: TAG,
  input: decryptInput,
  output: z.strictObject({
    plaintext: base64Text,
    keyId: z.uuid(),
    keyVersion: z.number().int(),
    algorithm,
  }),
  run: async (ctx, input) => {
    const out = await decrypt(ctx, input);
    return { ...out, plaintext: secretToBase64(out.plaintext) };
  },
});

const reEncryptInput = z.strictObject({
  ciphertext,
  sourceEncryptionContext: encryptionContext.optional(),
  sourceKeyId: keyRef.optional(),
  sourceAlgorithm: algorithm.optional(),
  destinationKeyId: keyRef,
  destinationEncryptionContext: encryptionContext.optional(),
  destinationAlgorithm: algorithm.optional(),
});

export const reEncryptOperation = jsonOperation({
  name: 'reEncrypt',
  summary: 'Decrypt and encrypt again under another key, without releasing the plaintext',
  tag: TAG,
  input: reEncryptInput,
  output: encryptOutput.extend({ sourceKeyId: z.uuid(), sourceKeyVersion: z.number().int() }),
  run: async (ctx, input) => {
    const out = await reEncrypt(ctx, input);
    return { ...out, ciphertext: toBase64(out.ciphertext) };
  },
});

const randomInput = z.strictObject({
  numberOfBytes: z.number().int().meta({ description: '1 to 1024' }),
});

export const generateRandomOperation = jsonOperation({
  name: 'generateRandom',
  summary: 'Random bytes from the server CSPRNG',
  tag: TAG,
  input: randomInput,
  output: z.strictObject({ random: base64Text }),
  run: async (ctx, input) => ({ random: secretToBase64(await generateRandom(ctx, input)) }),
});

export const cryptoOperations: readonly AnyJsonOperation[] = [
  encryptOperation,
  decryptOperation,
  reEncryptOperation,
  generateRandomOperation,
];

export const cryptoRoutes: readonly RestRoute[] = [
  keyRoute('POST', '/keys/:key/encrypt', encryptOperation, encryptBody),
  operationRoute({
    method: 'POST',
    path: '/decrypt',
    operation: decryptOperation,
    body: decryptInput,
    toInput: ({ body }) => body,
  }),
  operationRoute({
    method: 'POST',
    path: '/re-encrypt',
    operation: reEncryptOperation,
    body: reEncryptInput,
    toInput: ({ body }) => body,
  }),
  operationRoute({
    method: 'POST',
    path: '/random',
    operation: generateRandomOperation,
    body: randomInput,
    toInput: ({ body }) => body,
  }),
];
