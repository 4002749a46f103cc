import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKmsError } from '../../src/core/errors.js';
import {
  type CreateAliasInput,
  type DecryptInput,
  type EncryptInput,
  type GenerateDataKeyInput,
  type GenerateDataKeyPairInput,
  type GenerateMacInput,
  type GetPublicKeyInput,
  type ReEncryptInput,
  type ScheduleKeyDeletionInput,
  type SetKeyRotationInput,
  type SignInput,
  type TagKeyInput,
  type UpdateKeyDescriptionInput,
  type UpdateKeyVersionInput,
  type VerifyInput,
  type VerifyMacInput,
  cancelKeyDeletion,
  createAlias,
  createKey,
  decrypt,
  describeKey,
  disableKey,
  enableKey,
  encrypt,
  generateDataKey,
  generateDataKeyPair,
  generateMac,
  getPublicKey,
  reEncrypt,
  rotateKey,
  scheduleKeyDeletion,
  setKeyRotation,
  sign,
  tagKey,
  updateKeyDescription,
  updateKeyVersion,
  verify,
  verifyMac,
} from '../../src/service/index.js';
import { makeKms, type KmsHarness } from '../support/kms-harness.js';

/**
 * Every key operation against every kind of bad request: an unknown key, a key
 * of the wrong usage or state, malformed and oversized input. Each must fail
 * with its typed error (never a TypeError) and leave the store as it was.
 */

type Kind = 'aes' | 'mac' | 'ecc';
type Condition = 'enabled' | 'disabled' | 'pending';

/** A key and what was made with it before it reached its condition. */
interface Target {
  readonly id: string;
  readonly ciphertext: Buffer;
  readonly signature: Buffer;
  readonly mac: Buffer;
}

type Run = (t: Target) => Promise<unknown>;

interface OpCase {
  readonly name: string;
  readonly kind: Kind;
  /** A well-formed request against `t` (which fails only because of `t`). */
  readonly run: Run;
  /** Code for a key that does not exist; default NOT_FOUND. */
  readonly unknown?: string;
  /** A key of the wrong usage: its kind (run against it), or a request of its own. */
  readonly wrongUsage?: { readonly kind: Kind; readonly code?: string } | (() => Promise<unknown>);
  /** Codes for keys in conditions the operation refuses. */
  readonly states?: Partial<Record<Condition, string>>;
  /** The key id is optional: leaving it out is not an error. */
  readonly optionalKeyId?: boolean;
  readonly malformed: readonly (readonly [string, Run])[];
  readonly oversized: readonly (readonly [string, Run, string?])[];
}

const message = Buffer.from('matrix');
const plaintext = Buffer.from('matrix plaintext');
const CRYPTO_STATES = { disabled: 'KEY_DISABLED', pending: 'KEY_PENDING_DELETION' } as const;

/**
 * Malformed input typed as the operation's input (what a buggy front-end might
 * pass): the field names are the operation's own, their values anything.
 */
function hostile<T>(value: { readonly [K in keyof T]?: unknown }): T {
  return value as unknown as T;
}

let h: KmsHarness;
let targets: Record<Kind, Record<Condition, Target>>;
let unknownTarget: Target;

async function makeTarget(kind: Kind, condition: Condition): Promise<Target> {
  const spec = kind === 'aes' ? 'AES_256' : kind === 'mac' ? 'HMAC_256' : 'ECC_NIST_P256';
  const alias = `alias/matrix-${kind}-${condition}`;
  const { keyId: id } = await createKey(h.ctx, { spec, alias, tags: { kind } });
  const target: Target = {
    id,
    ciphertext:
      kind === 'aes'
        ? (await encrypt(h.ctx, { keyId: id, plaintext, encryptionContext: { c: condition } }))
            .ciphertext
        : Buffer.alloc(64, 1),
    signature:
      kind === 'ecc'
        ? (await sign(h.ctx, { keyId: id, message, algorithm: 'ECDSA_SHA_256' })).signature
        : Buffer.alloc(64, 1),
    mac:
      kind === 'mac'
        ? (await generateMac(h.ctx, { keyId: id, message, algorithm: 'HMAC_SHA_256' })).mac
        : Buffer.alloc(32, 1),
  };
  if (kind === 'aes') await rotateKey(h.ctx, { keyId: id });
  if (condition === 'disabled') await disableKey(h.ctx, { keyId: id });
  if (condition === 'pending') await scheduleKeyDeletion(h.ctx, { keyId: id });
  return target;
}

beforeAll(async () => {
  h = await makeKms();
  const kinds: Kind[] = ['aes', 'mac', 'ecc'];
  const built: Partial<Record<Kind, Record<Condition, Target>>> = {};
  for (const kind of kinds) {
    built[kind] = {
      enabled: await makeTarget(kind, 'enabled'),
      disabled: await makeTarget(kind, 'disabled'),
      pending: await makeTarget(kind, 'pending'),
    };
  }
  targets = built as Record<Kind, Record<Condition, Target>>;
  const orphan = Buffer.from(targets.aes.enabled.ciphertext);
  const id = randomUUID();
  Buffer.from(id.replaceAll('-', ''), 'hex').copy(orphan, 2);
  unknownTarget = {
    id,
    ciphertext: orphan,
    signature: targets.ecc.enabled.signature,
    mac: targets.mac.enabled.mac,
  };
});
afterAll(async () => {
  await h.close();
});

async function snapshot() {
  const keys = (await h.store.listKeys({}, { limit: 1000 })).items;
  const versions = await Promise.all(keys.map((k) => h.store.getVersions(k.id)));
  const aliases = (await h.store.listAliases({}, { limit: 1000 })).items;
  return { keys, versions, aliases };
}

/** Runs a request that must fail; checks its code and that the store did not move. */
async function expectRefused(run: () => Promise<unknown>, codes: readonly string[]): Promise<void> {
  const before = await snapshot();
  let outcome: string;
  try {
    await run();
    outcome = 'no error';
  } catch (error) {
    outcome = isKmsError(error)
      ? error.code
      : `non-KmsError ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  expect(codes).toContain(outcome);
  expect(await snapshot()).toEqual(before);
}

const ID_OR_INPUT = ['INVALID_INPUT', 'NOT_FOUND'] as const;
const HOSTILE_IDS: readonly (readonly [string, unknown])[] = [
  ['a number', 42],
  ['null', null],
  ['undefined', undefined],
  ['an object', {}],
  ['an array', ['x']],
  ['NaN', Number.NaN],
  ['an empty string', ''],
  ['an ARN-like string', 'arn:aws:kms:eu-west-1:1:key/x'],
  ['a 10 000-character string', 'k'.repeat(10_000)],
];

const bigContext = { big: 'x'.repeat(8200) };

const OPS: readonly OpCase[] = [
  {
    name: 'encrypt',
    kind: 'aes',
    run: (t) => encrypt(h.ctx, { keyId: t.id, plaintext }),
    wrongUsage: { kind: 'mac' },
    states: CRYPTO_STATES,
    malformed: [
      [
        'plaintext as a string',
        (t) => encrypt(h.ctx, hostile<EncryptInput>({ keyId: t.id, plaintext: 'hi' })),
      ],
      [
        'plaintext as an array',
        (t) => encrypt(h.ctx, hostile<EncryptInput>({ keyId: t.id, plaintext: [1, 2] })),
      ],
      ['plaintext missing', (t) => encrypt(h.ctx, hostile<EncryptInput>({ keyId: t.id }))],
      ['empty plaintext', (t) => encrypt(h.ctx, { keyId: t.id, plaintext: Buffer.alloc(0) })],
      [
        'a null context',
        (t) =>
          encrypt(
            h.ctx,
            hostile<EncryptInput>({ keyId: t.id, plaintext, encryptionContext: null }),
          ),
      ],
      [
        'a string context',
        (t) =>
          encrypt(h.ctx, hostile<EncryptInput>({ keyId: t.id, plaintext, encryptionContext: 'c' })),
      ],
      [
        'an array context',
        (t) =>
          encrypt(
            h.ctx,
            hostile<EncryptInput>({ keyId: t.id, plaintext, encryptionContext: ['a'] }),
          ),
      ],
      [
        'a number in the context',
        (t) =>
          encrypt(
            h.ctx,
            hostile<EncryptInput>({ keyId: t.id, plaintext, encryptionContext: { a: 1 } }),
          ),
      ],
      [
        'an empty context key',
        (t) => encrypt(h.ctx, { keyId: t.id, plaintext, encryptionContext: { '': 'v' } }),
      ],
      [
        'a number algorithm',
        (t) => encrypt(h.ctx, hostile<EncryptInput>({ keyId: t.id, plaintext, algorithm: 7 })),
      ],
      [
        'an unknown algorithm',
        (t) =>
          encrypt(h.ctx, hostile<EncryptInput>({ keyId: t.id, plaintext, algorithm: 'AES_GCM' })),
      ],
    ],
    oversized: [
      [
        '4097-byte plaintext',
        (t) => encrypt(h.ctx, { keyId: t.id, plaintext: Buffer.alloc(4097) }),
      ],
      [
        '8 KiB+ context',
        (t) => encrypt(h.ctx, { keyId: t.id, plaintext, encryptionContext: bigContext }),
      ],
    ],
  },
  {
    name: 'decrypt',
    kind: 'aes',
    run: (t) =>
      decrypt(h.ctx, { ciphertext: t.ciphertext, keyId: t.id, encryptionContext: contextOf(t) }),
    unknown: 'INVALID_CIPHERTEXT',
    wrongUsage: () =>
      decrypt(h.ctx, {
        ciphertext: Buffer.alloc(256, 1),
        keyId: targets.ecc.enabled.id,
        algorithm: 'RSAES_OAEP_SHA_256',
      }),
    states: CRYPTO_STATES,
    optionalKeyId: true,
    malformed: [
      [
        'ciphertext as a string',
        () => decrypt(h.ctx, hostile<DecryptInput>({ ciphertext: 'abc' })),
      ],
      ['ciphertext as a number', () => decrypt(h.ctx, hostile<DecryptInput>({ ciphertext: 5 }))],
      ['ciphertext missing', () => decrypt(h.ctx, hostile<DecryptInput>({}))],
      [
        'a null context',
        (t) =>
          decrypt(
            h.ctx,
            hostile<DecryptInput>({ ciphertext: t.ciphertext, encryptionContext: null }),
          ),
      ],
      [
        'a number in the context',
        (t) =>
          decrypt(
            h.ctx,
            hostile<DecryptInput>({ ciphertext: t.ciphertext, encryptionContext: { c: 1 } }),
          ),
      ],
      [
        'a number algorithm',
        (t) => decrypt(h.ctx, hostile<DecryptInput>({ ciphertext: t.ciphertext, algorithm: 1 })),
      ],
      [
        'an RSA algorithm without a key id',
        (t) => decrypt(h.ctx, { ciphertext: t.ciphertext, algorithm: 'RSAES_OAEP_SHA_1' }),
      ],
    ],
    oversized: [
      ['6145-byte ciphertext', () => decrypt(h.ctx, { ciphertext: Buffer.alloc(6145) })],
      [
        '8 KiB+ context',
        (t) => decrypt(h.ctx, { ciphertext: t.ciphertext, encryptionContext: bigContext }),
      ],
    ],
  },
  {
    name: 'reEncrypt',
    kind: 'aes',
    run: (t) =>
      reEncrypt(h.ctx, {
        ciphertext: t.ciphertext,
        sourceEncryptionContext: contextOf(t),
        destinationKeyId: t.id,
      }),
    wrongUsage: () =>
      reEncrypt(h.ctx, {
        ciphertext: targets.aes.enabled.ciphertext,
        sourceEncryptionContext: { c: 'enabled' },
        destinationKeyId: targets.mac.enabled.id,
      }),
    states: CRYPTO_STATES,
    malformed: [
      [
        'ciphertext as a string',
        (t) =>
          reEncrypt(h.ctx, hostile<ReEncryptInput>({ ciphertext: 'x', destinationKeyId: t.id })),
      ],
      [
        'a null source context',
        (t) =>
          reEncrypt(
            h.ctx,
            hostile<ReEncryptInput>({
              ciphertext: t.ciphertext,
              sourceEncryptionContext: null,
              destinationKeyId: t.id,
            }),
          ),
      ],
      [
        'a null destination context',
        (t) =>
          reEncrypt(
            h.ctx,
            hostile<ReEncryptInput>({
              ciphertext: t.ciphertext,
              sourceEncryptionContext: contextOf(t),
              destinationKeyId: t.id,
              destinationEncryptionContext: null,
            }),
          ),
      ],
      [
        'a number source key id',
        (t) =>
          reEncrypt(
            h.ctx,
            hostile<ReEncryptInput>({
              ciphertext: t.ciphertext,
              sourceEncryptionContext: contextOf(t),
              sourceKeyId: 5,
              destinationKeyId: t.id,
            }),
          ),
      ],
      [
        'a number destination algorithm',
        (t) =>
          reEncrypt(
            h.ctx,
            hostile<ReEncryptInput>({
              ciphertext: t.ciphertext,
              sourceEncryptionContext: contextOf(t),
              destinationKeyId: t.id,
              destinationAlgorithm: 3,
            }),
          ),
      ],
    ],
    oversized: [
      [
        '6145-byte ciphertext',
        (t) => reEncrypt(h.ctx, { ciphertext: Buffer.alloc(6145), destinationKeyId: t.id }),
      ],
      [
        '8 KiB+ destination context',
        (t) =>
          reEncrypt(h.ctx, {
            ciphertext: t.ciphertext,
            sourceEncryptionContext: contextOf(t),
            destinationKeyId: t.id,
            destinationEncryptionContext: bigContext,
          }),
      ],
    ],
  },
  ...[true, false].map((withPlaintext): OpCase => ({
    name: `generateDataKey (withPlaintext: ${String(withPlaintext)})`,
    kind: 'aes',
    run: (t) => generateDataKey(h.ctx, { keyId: t.id, keySpec: 'AES_256', withPlaintext }),
    wrongUsage: { kind: 'ecc' },
    states: CRYPTO_STATES,
    malformed: [
      [
        'NaN bytes',
        (t) => generateDataKey(h.ctx, { keyId: t.id, numberOfBytes: Number.NaN, withPlaintext }),
      ],
      [
        'bytes as a string',
        (t) =>
          generateDataKey(
            h.ctx,
            hostile<GenerateDataKeyInput>({ keyId: t.id, numberOfBytes: '32', withPlaintext }),
          ),
      ],
      [
        'Infinity bytes',
        (t) =>
          generateDataKey(h.ctx, {
            keyId: t.id,
            numberOfBytes: Number.POSITIVE_INFINITY,
            withPlaintext,
          }),
      ],
      [
        'fractional bytes',
        (t) => generateDataKey(h.ctx, { keyId: t.id, numberOfBytes: 16.5, withPlaintext }),
      ],
      [
        'an unknown key spec',
        (t) =>
          generateDataKey(
            h.ctx,
            hostile<GenerateDataKeyInput>({ keyId: t.id, keySpec: 'AES_512', withPlaintext }),
          ),
      ],
      [
        'a number key spec',
        (t) =>
          generateDataKey(
            h.ctx,
            hostile<GenerateDataKeyInput>({ keyId: t.id, keySpec: 5, withPlaintext }),
          ),
      ],
      [
        'both sizes',
        (t) =>
          generateDataKey(h.ctx, {
            keyId: t.id,
            keySpec: 'AES_128',
            numberOfBytes: 16,
            withPlaintext,
          }),
      ],
      ['no size', (t) => generateDataKey(h.ctx, { keyId: t.id, withPlaintext })],
      [
        'a null context',
        (t) =>
          generateDataKey(
            h.ctx,
            hostile<GenerateDataKeyInput>({
              keyId: t.id,
              keySpec: 'AES_256',
              encryptionContext: null,
              withPlaintext,
            }),
          ),
      ],
    ],
    oversized: [
      [
        '1025 bytes',
        (t) => generateDataKey(h.ctx, { keyId: t.id, numberOfBytes: 1025, withPlaintext }),
      ],
      [
        '8 KiB+ context',
        (t) =>
          generateDataKey(h.ctx, {
            keyId: t.id,
            keySpec: 'AES_256',
            encryptionContext: bigContext,
            withPlaintext,
          }),
      ],
    ],
  })),
  {
    name: 'generateDataKeyPair',
    kind: 'aes',
    run: (t) =>
      generateDataKeyPair(h.ctx, {
        keyId: t.id,
        keyPairSpec: 'ECC_NIST_P256',
        withPlaintext: true,
      }),
    wrongUsage: { kind: 'mac' },
    states: CRYPTO_STATES,
    malformed: [
      [
        'a number key pair spec',
        (t) =>
          generateDataKeyPair(
            h.ctx,
            hostile<GenerateDataKeyPairInput>({ keyId: t.id, keyPairSpec: 5, withPlaintext: true }),
          ),
      ],
      [
        'a symmetric key pair spec',
        (t) =>
          generateDataKeyPair(
            h.ctx,
            hostile<GenerateDataKeyPairInput>({
              keyId: t.id,
              keyPairSpec: 'HMAC_256',
              withPlaintext: true,
            }),
          ),
      ],
      [
        'a null context',
        (t) =>
          generateDataKeyPair(
            h.ctx,
            hostile<GenerateDataKeyPairInput>({
              keyId: t.id,
              keyPairSpec: 'ED25519',
              encryptionContext: null,
              withPlaintext: true,
            }),
          ),
      ],
    ],
    oversized: [
      [
        '8 KiB+ context',
        (t) =>
          generateDataKeyPair(h.ctx, {
            keyId: t.id,
            keyPairSpec: 'ED25519',
            encryptionContext: bigContext,
            withPlaintext: true,
          }),
      ],
    ],
  },
  {
    name: 'sign',
    kind: 'ecc',
    run: (t) => sign(h.ctx, { keyId: t.id, message, algorithm: 'ECDSA_SHA_256' }),
    wrongUsage: { kind: 'aes' },
    states: CRYPTO_STATES,
    malformed: [
      [
        'message as a string',
        (t) =>
          sign(
            h.ctx,
            hostile<SignInput>({ keyId: t.id, message: 'm', algorithm: 'ECDSA_SHA_256' }),
          ),
      ],
      [
        'empty message',
        (t) => sign(h.ctx, { keyId: t.id, message: Buffer.alloc(0), algorithm: 'ECDSA_SHA_256' }),
      ],
      [
        'a null algorithm',
        (t) => sign(h.ctx, hostile<SignInput>({ keyId: t.id, message, algorithm: null })),
      ],
      [
        'an algorithm of another spec',
        (t) => sign(h.ctx, { keyId: t.id, message, algorithm: 'ECDSA_SHA_512' }),
      ],
      [
        'an unknown message type',
        (t) =>
          sign(
            h.ctx,
            hostile<SignInput>({
              keyId: t.id,
              message,
              algorithm: 'ECDSA_SHA_256',
              messageType: 'HEX',
            }),
          ),
      ],
      [
        'an unknown encoding',
        (t) =>
          sign(
            h.ctx,
            hostile<SignInput>({
              keyId: t.id,
              message,
              algorithm: 'ECDSA_SHA_256',
              encoding: 'pem',
            }),
          ),
      ],
      [
        'a short digest',
        (t) =>
          sign(h.ctx, { keyId: t.id, message, messageType: 'DIGEST', algorithm: 'ECDSA_SHA_256' }),
      ],
    ],
    oversized: [
      [
        '4097-byte message',
        (t) =>
          sign(h.ctx, { keyId: t.id, message: Buffer.alloc(4097), algorithm: 'ECDSA_SHA_256' }),
      ],
    ],
  },
  {
    name: 'verify',
    kind: 'ecc',
    run: (t) =>
      verify(h.ctx, { keyId: t.id, message, signature: t.signature, algorithm: 'ECDSA_SHA_256' }),
    wrongUsage: { kind: 'aes' },
    states: CRYPTO_STATES,
    malformed: [
      [
        'signature as a string',
        (t) =>
          verify(
            h.ctx,
            hostile<VerifyInput>({
              keyId: t.id,
              message,
              signature: 'sig',
              algorithm: 'ECDSA_SHA_256',
            }),
          ),
      ],
      [
        'message as a number',
        (t) =>
          verify(
            h.ctx,
            hostile<VerifyInput>({
              keyId: t.id,
              message: 1,
              signature: t.signature,
              algorithm: 'ECDSA_SHA_256',
            }),
          ),
      ],
      [
        'a NaN key version',
        (t) =>
          verify(h.ctx, {
            keyId: t.id,
            message,
            signature: t.signature,
            algorithm: 'ECDSA_SHA_256',
            keyVersion: Number.NaN,
          }),
      ],
      [
        'a string key version',
        (t) =>
          verify(
            h.ctx,
            hostile<VerifyInput>({
              keyId: t.id,
              message,
              signature: t.signature,
              algorithm: 'ECDSA_SHA_256',
              keyVersion: '1',
            }),
          ),
      ],
      [
        'an algorithm of another spec',
        (t) =>
          verify(h.ctx, {
            keyId: t.id,
            message,
            signature: t.signature,
            algorithm: 'ECDSA_SHA_384',
          }),
      ],
      [
        'an unknown algorithm',
        (t) =>
          verify(
            h.ctx,
            hostile<VerifyInput>({
              keyId: t.id,
              message,
              signature: t.signature,
              algorithm: 'DSA',
            }),
          ),
      ],
    ],
    oversized: [
      [
        '1025-byte signature',
        (t) =>
          verify(h.ctx, {
            keyId: t.id,
            message,
            signature: Buffer.alloc(1025),
            algorithm: 'ECDSA_SHA_256',
          }),
      ],
      [
        '4097-byte message',
        (t) =>
          verify(h.ctx, {
            keyId: t.id,
            message: Buffer.alloc(4097),
            signature: t.signature,
            algorithm: 'ECDSA_SHA_256',
          }),
      ],
      [
        'key version 2^32',
        (t) =>
          verify(h.ctx, {
            keyId: t.id,
            message,
            signature: t.signature,
            algorithm: 'ECDSA_SHA_256',
            keyVersion: 2 ** 32,
          }),
      ],
    ],
  },
  {
    name: 'generateMac',
    kind: 'mac',
    run: (t) => generateMac(h.ctx, { keyId: t.id, message, algorithm: 'HMAC_SHA_256' }),
    wrongUsage: { kind: 'aes' },
    states: CRYPTO_STATES,
    malformed: [
      [
        'message as a string',
        (t) =>
          generateMac(
            h.ctx,
            hostile<GenerateMacInput>({ keyId: t.id, message: 'm', algorithm: 'HMAC_SHA_256' }),
          ),
      ],
      [
        'an unknown algorithm',
        (t) =>
          generateMac(
            h.ctx,
            hostile<GenerateMacInput>({ keyId: t.id, message, algorithm: 'HMAC_MD5' }),
          ),
      ],
      [
        'an algorithm of another spec',
        (t) => generateMac(h.ctx, { keyId: t.id, message, algorithm: 'HMAC_SHA_512' }),
      ],
    ],
    oversized: [
      [
        '4097-byte message',
        (t) =>
          generateMac(h.ctx, {
            keyId: t.id,
            message: Buffer.alloc(4097),
            algorithm: 'HMAC_SHA_256',
          }),
      ],
    ],
  },
  {
    name: 'verifyMac',
    kind: 'mac',
    run: (t) => verifyMac(h.ctx, { keyId: t.id, message, mac: t.mac, algorithm: 'HMAC_SHA_256' }),
    wrongUsage: { kind: 'ecc' },
    states: CRYPTO_STATES,
    malformed: [
      [
        'mac as a string',
        (t) =>
          verifyMac(
            h.ctx,
            hostile<VerifyMacInput>({
              keyId: t.id,
              message,
              mac: 'mac',
              algorithm: 'HMAC_SHA_256',
            }),
          ),
      ],
      [
        'message as a number',
        (t) =>
          verifyMac(
            h.ctx,
            hostile<VerifyMacInput>({
              keyId: t.id,
              message: 3,
              mac: t.mac,
              algorithm: 'HMAC_SHA_256',
            }),
          ),
      ],
      [
        'algorithm missing',
        (t) => verifyMac(h.ctx, hostile<VerifyMacInput>({ keyId: t.id, message, mac: t.mac })),
      ],
      [
        'empty mac',
        (t) =>
          verifyMac(h.ctx, {
            keyId: t.id,
            message,
            mac: Buffer.alloc(0),
            algorithm: 'HMAC_SHA_256',
          }),
      ],
    ],
    oversized: [
      [
        '65-byte mac',
        (t) =>
          verifyMac(h.ctx, {
            keyId: t.id,
            message,
            mac: Buffer.alloc(65),
            algorithm: 'HMAC_SHA_256',
          }),
      ],
      [
        '4097-byte message',
        (t) =>
          verifyMac(h.ctx, {
            keyId: t.id,
            message: Buffer.alloc(4097),
            mac: t.mac,
            algorithm: 'HMAC_SHA_256',
          }),
      ],
    ],
  },
  {
    name: 'getPublicKey',
    kind: 'ecc',
    run: (t) => getPublicKey(h.ctx, { keyId: t.id }),
    wrongUsage: { kind: 'aes', code: 'UNSUPPORTED' },
    states: CRYPTO_STATES,
    malformed: [
      ['a NaN key version', (t) => getPublicKey(h.ctx, { keyId: t.id, keyVersion: Number.NaN })],
      [
        'a string key version',
        (t) => getPublicKey(h.ctx, hostile<GetPublicKeyInput>({ keyId: t.id, keyVersion: '1' })),
      ],
      ['key version 0', (t) => getPublicKey(h.ctx, { keyId: t.id, keyVersion: 0 })],
    ],
    oversized: [
      ['key version 2^32', (t) => getPublicKey(h.ctx, { keyId: t.id, keyVersion: 2 ** 32 })],
    ],
  },
  {
    name: 'rotateKey',
    kind: 'aes',
    run: (t) => rotateKey(h.ctx, { keyId: t.id }),
    states: CRYPTO_STATES,
    malformed: [],
    oversized: [],
  },
  {
    name: 'describeKey',
    kind: 'aes',
    run: (t) => describeKey(h.ctx, { keyId: t.id }),
    malformed: [],
    oversized: [],
  },
  {
    name: 'updateKeyDescription',
    kind: 'aes',
    run: (t) => updateKeyDescription(h.ctx, { keyId: t.id, description: 'changed' }),
    malformed: [
      [
        'a number description',
        (t) =>
          updateKeyDescription(
            h.ctx,
            hostile<UpdateKeyDescriptionInput>({ keyId: t.id, description: 5 }),
          ),
      ],
      [
        'a null description',
        (t) =>
          updateKeyDescription(
            h.ctx,
            hostile<UpdateKeyDescriptionInput>({ keyId: t.id, description: null }),
          ),
      ],
      [
        'description missing',
        (t) => updateKeyDescription(h.ctx, hostile<UpdateKeyDescriptionInput>({ keyId: t.id })),
      ],
    ],
    oversized: [
      [
        '8193-character description',
        (t) => updateKeyDescription(h.ctx, { keyId: t.id, description: 'd'.repeat(8193) }),
      ],
    ],
  },
  {
    name: 'tagKey',
    kind: 'aes',
    run: (t) => tagKey(h.ctx, { keyId: t.id, set: { changed: 'yes' } }),
    malformed: [
      ['null tags', (t) => tagKey(h.ctx, hostile<TagKeyInput>({ keyId: t.id, set: null }))],
      ['string tags', (t) => tagKey(h.ctx, hostile<TagKeyInput>({ keyId: t.id, set: 'a=b' }))],
      ['array tags', (t) => tagKey(h.ctx, hostile<TagKeyInput>({ keyId: t.id, set: ['a'] }))],
      [
        'a number tag value',
        (t) => tagKey(h.ctx, hostile<TagKeyInput>({ keyId: t.id, set: { a: 5 } })),
      ],
      ['an empty tag key', (t) => tagKey(h.ctx, { keyId: t.id, set: { '': 'v' } })],
      [
        'remove as a number',
        (t) => tagKey(h.ctx, hostile<TagKeyInput>({ keyId: t.id, remove: 5 })),
      ],
      [
        'remove as a string',
        (t) => tagKey(h.ctx, hostile<TagKeyInput>({ keyId: t.id, remove: 'kind' })),
      ],
      [
        'remove with a number',
        (t) => tagKey(h.ctx, hostile<TagKeyInput>({ keyId: t.id, remove: [5] })),
      ],
      ['remove as null', (t) => tagKey(h.ctx, hostile<TagKeyInput>({ keyId: t.id, remove: null }))],
      ['nothing to change', (t) => tagKey(h.ctx, { keyId: t.id })],
    ],
    oversized: [
      [
        'a 129-character tag key',
        (t) => tagKey(h.ctx, { keyId: t.id, set: { ['k'.repeat(129)]: 'v' } }),
      ],
      [
        'a 257-character tag value',
        (t) => tagKey(h.ctx, { keyId: t.id, set: { k: 'v'.repeat(257) } }),
      ],
      [
        '51 tags',
        (t) =>
          tagKey(h.ctx, {
            keyId: t.id,
            set: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${String(i)}`, 'v'])),
          }),
        'LIMIT_EXCEEDED',
      ],
    ],
  },
  {
    name: 'enableKey',
    kind: 'aes',
    run: (t) => enableKey(h.ctx, { keyId: t.id }),
    states: { pending: 'INVALID_STATE' },
    malformed: [],
    oversized: [],
  },
  {
    name: 'disableKey',
    kind: 'aes',
    run: (t) => disableKey(h.ctx, { keyId: t.id }),
    states: { pending: 'INVALID_STATE' },
    malformed: [],
    oversized: [],
  },
  {
    name: 'scheduleKeyDeletion',
    kind: 'aes',
    run: (t) => scheduleKeyDeletion(h.ctx, { keyId: t.id, pendingWindowDays: 7 }),
    states: { pending: 'INVALID_STATE' },
    malformed: [
      [
        'NaN days',
        (t) => scheduleKeyDeletion(h.ctx, { keyId: t.id, pendingWindowDays: Number.NaN }),
      ],
      [
        'days as a string',
        (t) =>
          scheduleKeyDeletion(
            h.ctx,
            hostile<ScheduleKeyDeletionInput>({ keyId: t.id, pendingWindowDays: '7' }),
          ),
      ],
      [
        'fractional days',
        (t) => scheduleKeyDeletion(h.ctx, { keyId: t.id, pendingWindowDays: 7.5 }),
      ],
      ['6 days', (t) => scheduleKeyDeletion(h.ctx, { keyId: t.id, pendingWindowDays: 6 })],
    ],
    oversized: [
      ['31 days', (t) => scheduleKeyDeletion(h.ctx, { keyId: t.id, pendingWindowDays: 31 })],
      ['1e308 days', (t) => scheduleKeyDeletion(h.ctx, { keyId: t.id, pendingWindowDays: 1e308 })],
    ],
  },
  {
    name: 'cancelKeyDeletion',
    kind: 'aes',
    run: (t) => cancelKeyDeletion(h.ctx, { keyId: t.id }),
    states: { enabled: 'INVALID_STATE', disabled: 'INVALID_STATE' },
    malformed: [],
    oversized: [],
  },
  {
    name: 'setKeyRotation',
    kind: 'aes',
    run: (t) => setKeyRotation(h.ctx, { keyId: t.id, rotationPeriodDays: 30 }),
    malformed: [
      ['NaN days', (t) => setKeyRotation(h.ctx, { keyId: t.id, rotationPeriodDays: Number.NaN })],
      [
        'days as a string',
        (t) =>
          setKeyRotation(
            h.ctx,
            hostile<SetKeyRotationInput>({ keyId: t.id, rotationPeriodDays: '30' }),
          ),
      ],
      ['days missing', (t) => setKeyRotation(h.ctx, hostile<SetKeyRotationInput>({ keyId: t.id }))],
      ['0 days', (t) => setKeyRotation(h.ctx, { keyId: t.id, rotationPeriodDays: 0 })],
    ],
    oversized: [
      ['2561 days', (t) => setKeyRotation(h.ctx, { keyId: t.id, rotationPeriodDays: 2561 })],
    ],
  },
  {
    name: 'updateKeyVersion',
    kind: 'aes',
    // Version 2 is the primary (the targets were rotated once): never disabled.
    run: (t) => updateKeyVersion(h.ctx, { keyId: t.id, version: 2, state: 'Disabled' }),
    states: { enabled: 'INVALID_STATE', disabled: 'INVALID_STATE', pending: 'INVALID_STATE' },
    malformed: [
      [
        'a NaN version',
        (t) => updateKeyVersion(h.ctx, { keyId: t.id, version: Number.NaN, state: 'Disabled' }),
      ],
      [
        'a string version',
        (t) =>
          updateKeyVersion(
            h.ctx,
            hostile<UpdateKeyVersionInput>({ keyId: t.id, version: '1', state: 'Disabled' }),
          ),
      ],
      ['version 0', (t) => updateKeyVersion(h.ctx, { keyId: t.id, version: 0, state: 'Disabled' })],
      [
        'state Destroyed',
        (t) =>
          updateKeyVersion(
            h.ctx,
            hostile<UpdateKeyVersionInput>({ keyId: t.id, version: 1, state: 'Destroyed' }),
          ),
      ],
      [
        'a number state',
        (t) =>
          updateKeyVersion(
            h.ctx,
            hostile<UpdateKeyVersionInput>({ keyId: t.id, version: 1, state: 1 }),
          ),
      ],
    ],
    oversized: [
      [
        'version 2^32',
        (t) => updateKeyVersion(h.ctx, { keyId: t.id, version: 2 ** 32, state: 'Disabled' }),
      ],
    ],
  },
  {
    name: 'createAlias',
    kind: 'aes',
    run: (t) => createAlias(h.ctx, { alias: 'alias/matrix-new', keyId: t.id }),
    malformed: [
      [
        'a number alias',
        (t) => createAlias(h.ctx, hostile<CreateAliasInput>({ alias: 5, keyId: t.id })),
      ],
      [
        'a null alias',
        (t) => createAlias(h.ctx, hostile<CreateAliasInput>({ alias: null, keyId: t.id })),
      ],
      ['a reserved alias', (t) => createAlias(h.ctx, { alias: 'alias/aws/x', keyId: t.id })],
      ['an alias without the prefix', (t) => createAlias(h.ctx, { alias: 'matrix', keyId: t.id })],
    ],
    oversized: [
      [
        'a 257-character alias',
        (t) => createAlias(h.ctx, { alias: `alias/${'a'.repeat(251)}`, keyId: t.id }),
      ],
    ],
  },
];

function contextOf(t: Target): Record<string, string> {
  for (const condition of ['enabled', 'disabled', 'pending'] as const) {
    if (t === targets.aes[condition]) return { c: condition };
  }
  return { c: 'enabled' };
}

describe.each(OPS)('$name', (op) => {
  it('refuses an unknown key', async () => {
    await expectRefused(() => op.run(unknownTarget), [op.unknown ?? 'NOT_FOUND']);
  });

  const wrong = op.wrongUsage;
  if (wrong !== undefined) {
    it('refuses a key of the wrong usage', async () => {
      if (typeof wrong === 'function') {
        await expectRefused(wrong, ['INVALID_KEY_USAGE']);
      } else {
        const code = wrong.code ?? 'INVALID_KEY_USAGE';
        await expectRefused(() => op.run(targets[wrong.kind].enabled), [code]);
      }
    });
  }

  for (const [condition, code] of Object.entries(op.states ?? {}) as [Condition, string][]) {
    it(`refuses a key that is ${condition} (${code})`, async () => {
      await expectRefused(() => op.run(targets[op.kind][condition]), [code]);
    });
  }

  for (const [label, id] of HOSTILE_IDS) {
    if (op.optionalKeyId === true && id === undefined) continue;
    it(`refuses ${label} as the key id`, async () => {
      const target = { ...targets[op.kind].enabled, id: id as string };
      // An operation that reports unknown keys its own way (decrypt) does so for these too.
      await expectRefused(() => op.run(target), [...ID_OR_INPUT, op.unknown ?? 'NOT_FOUND']);
    });
  }

  for (const [label, run] of op.malformed) {
    it(`refuses ${label} (INVALID_INPUT)`, async () => {
      await expectRefused(() => run(targets[op.kind].enabled), ['INVALID_INPUT']);
    });
  }

  for (const [label, run, code] of op.oversized) {
    it(`refuses ${label} (${code ?? 'INVALID_INPUT'})`, async () => {
      await expectRefused(() => run(targets[op.kind].enabled), [code ?? 'INVALID_INPUT']);
    });
  }
});

describe('further refusals that change nothing', () => {
  it('reEncrypt to a disabled key from an enabled one (KEY_DISABLED)', async () => {
    await expectRefused(
      () =>
        reEncrypt(h.ctx, {
          ciphertext: targets.aes.enabled.ciphertext,
          sourceEncryptionContext: { c: 'enabled' },
          destinationKeyId: targets.aes.disabled.id,
        }),
      ['KEY_DISABLED'],
    );
  });

  it('reEncrypt from a key pending deletion to an enabled one (KEY_PENDING_DELETION)', async () => {
    await expectRefused(
      () =>
        reEncrypt(h.ctx, {
          ciphertext: targets.aes.pending.ciphertext,
          sourceEncryptionContext: { c: 'pending' },
          destinationKeyId: targets.aes.enabled.id,
        }),
      ['KEY_PENDING_DELETION'],
    );
  });

  it('createAlias with a name in use (ALREADY_EXISTS)', async () => {
    await expectRefused(
      () =>
        createAlias(h.ctx, { alias: 'alias/matrix-mac-enabled', keyId: targets.aes.enabled.id }),
      ['ALREADY_EXISTS'],
    );
  });

  it('createKey with an alias in use (ALREADY_EXISTS)', async () => {
    await expectRefused(
      () => createKey(h.ctx, { alias: 'alias/matrix-aes-enabled' }),
      ['ALREADY_EXISTS'],
    );
  });

  it('createKey with malformed input (INVALID_INPUT)', async () => {
    const cases: Record<string, unknown>[] = [
      { spec: 5 },
      { usage: 5 },
      { spec: 'HMAC_256', usage: 'ENCRYPT_DECRYPT' },
      { tags: ['a'] },
      { attributes: 'x' },
      { attributes: { a: 5 } },
      { description: 7 },
      { tags: 'a' },
      { tags: null, alias: 5 },
      { rotationPeriodDays: Number.NaN },
      { alias: 'no-prefix' },
      { origin: 'SOMEWHERE' },
    ];
    for (const input of cases) {
      await expectRefused(() => createKey(h.ctx, hostile(input)), ['INVALID_INPUT']);
    }
  });

  it('the keys still work after all of the above', async () => {
    const t = targets.aes.enabled;
    const back = await decrypt(h.ctx, {
      ciphertext: t.ciphertext,
      encryptionContext: { c: 'enabled' },
    });
    expect(back.plaintext.bytes).toEqual(plaintext);
    const ecc = targets.ecc.enabled;
    expect(
      (
        await verify(h.ctx, {
          keyId: ecc.id,
          message,
          signature: ecc.signature,
          algorithm: 'ECDSA_SHA_256',
        })
      ).valid,
    ).toBe(true);
    expect((await describeKey(h.ctx, { keyId: t.id })).tags).toEqual({ kind: 'aes' });
  });
});
