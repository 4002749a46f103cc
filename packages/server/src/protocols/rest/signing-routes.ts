import { exportPublicKey, MAC_ALGORITHMS, SIGNING_ALGORITHMS } from '@custos/crypto';
import { z } from 'zod';
import {
  generateMac,
  getPublicKey,
  MAX_MESSAGE_BYTES,
  sign,
  verify,
  verifyMac,
} from '../../service/index.js';
import { base64Bytes, base64Text, keyRef, toBase64 } from './json.js';
import { jsonOperation, keyRoute, operationRoute, type AnyJsonOperation } from './operation.js';
import type { RestRoute } from './route.js';

const TAG = 'Signing and MACs';
const signingAlgorithm = z.enum(SIGNING_ALGORITHMS);
const macAlgorithm = z.enum(MAC_ALGORITHMS);
const message = base64Bytes(MAX_MESSAGE_BYTES, 'Message, or its digest with messageType DIGEST');
const keyVersion = z.number().int().min(1).max(0xffffffff);
const signed = { keyId: z.uuid(), keyVersion: keyVersion, algorithm: signingAlgorithm };

const signBody = z.strictObject({
  message,
  messageType: z.enum(['RAW', 'DIGEST']).optional(),
  algorithm: signingAlgorithm,
  encoding: z
    .enum(['der', 'ieee-p1363'])
    .optional()
    .meta({ description: 'ECDSA signature encoding, default der' }),
});

export const signOperation = jsonOperation({
  name: 'sign',
  summary: 'Sign a message or digest',
  tag: TAG,
  input: signBody.extend({ keyId: keyRef }),
  output: z.strictObject({ signature: base64Text, ...signed }),
  run: async (ctx, input) => {
    const out = await sign(ctx, input);
    return { ...out, signature: toBase64(out.signature) };
  },
});

const verifyBody = signBody.extend({
  signature: base64Bytes(1024, 'Signature'),
  keyVersion: keyVersion
    .optional()
    .meta({ description: 'Only this version; default any in service' }),
});

export const verifyOperation = jsonOperation({
  name: 'verify',
  summary: 'Verify a signature (valid: false when it does not verify)',
  tag: TAG,
  input: verifyBody.extend({ keyId: keyRef }),
  output: z.strictObject({ valid: z.boolean(), ...signed, keyVersion: keyVersion.nullable() }),
  run: (ctx, input) => verify(ctx, input),
});

const macBody = z.strictObject({ message, algorithm: macAlgorithm });
const macResult = { keyId: z.uuid(), algorithm: macAlgorithm };

export const generateMacOperation = jsonOperation({
  name: 'generateMac',
  summary: 'Compute an HMAC',
  tag: TAG,
  input: macBody.extend({ keyId: keyRef }),
  output: z.strictObject({ mac: base64Text, ...macResult, keyVersion }),
  run: async (ctx, input) => {
    const out = await generateMac(ctx, input);
    return { ...out, mac: toBase64(out.mac) };
  },
});

const verifyMacBody = macBody.extend({ mac: base64Bytes(64, 'MAC') });

export const verifyMacOperation = jsonOperation({
  name: 'verifyMac',
  summary: 'Verify an HMAC (valid: false when it does not verify)',
  tag: TAG,
  input: verifyMacBody.extend({ keyId: keyRef }),
  output: z.strictObject({ valid: z.boolean(), ...macResult, keyVersion: keyVersion.nullable() }),
  run: (ctx, input) => verifyMac(ctx, input),
});

const publicKeyFormat = z.enum(['der', 'pem', 'jwk']);
const publicKeyQuery = z.strictObject({
  version: z.coerce.number().int().min(1).max(0xffffffff).optional(),
  format: publicKeyFormat.optional().meta({ description: 'der (base64, default), pem or jwk' }),
});
const jwk = z
  .object({ kty: z.string() })
  .catchall(z.string())
  .meta({ id: 'PublicJwk', description: 'RFC 7517 public JWK' });

export const getPublicKeyOperation = jsonOperation({
  name: 'getPublicKey',
  summary: 'The public key of an asymmetric key version',
  tag: TAG,
  input: z.strictObject({
    keyId: keyRef,
    keyVersion: keyVersion.optional(),
    format: publicKeyFormat.optional(),
  }),
  output: z.strictObject({
    keyId: z.uuid(),
    keyVersion,
    spec: z.string(),
    usage: z.string(),
    publicKey: z.union([z.string().meta({ description: 'base64 SPKI DER, or PEM' }), jwk]),
    signingAlgorithms: z.array(z.string()),
    encryptionAlgorithms: z.array(z.string()),
  }),
  run: async (ctx, { format = 'der', ...input }) => {
    const out = await getPublicKey(ctx, input);
    const publicKey =
      format === 'der'
        ? toBase64(out.publicKey)
        : format === 'pem'
          ? exportPublicKey(out.publicKey, 'pem')
          : { ...exportPublicKey(out.publicKey, 'jwk') };
    return {
      ...out,
      publicKey,
      signingAlgorithms: [...out.signingAlgorithms],
      encryptionAlgorithms: [...out.encryptionAlgorithms],
    };
  },
});

export const signingOperations: readonly AnyJsonOperation[] = [
  signOperation,
  verifyOperation,
  generateMacOperation,
  verifyMacOperation,
  getPublicKeyOperation,
];

export const signingRoutes: readonly RestRoute[] = [
  keyRoute('POST', '/keys/:key/sign', signOperation, signBody),
  keyRoute('POST', '/keys/:key/verify', verifyOperation, verifyBody),
  keyRoute('POST', '/keys/:key/mac', generateMacOperation, macBody),
  keyRoute('POST', '/keys/:key/verify-mac', verifyMacOperation, verifyMacBody),
  operationRoute({
    method: 'GET',
    path: '/keys/:key/public-key',
    operation: getPublicKeyOperation,
    params: z.strictObject({ key: keyRef }),
    query: publicKeyQuery,
    toInput: ({ params, query }) => ({
      keyId: params.key,
      ...(query.version === undefined ? {} : { keyVersion: query.version }),
      ...(query.format === undefined ? {} : { format: query.format }),
    }),
  }),
];
