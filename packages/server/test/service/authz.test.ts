import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKmsError } from '../../src/core/errors.js';
import type { Principal } from '../../src/core/principal.js';
import {
  type RequestContext,
  cancelKeyDeletion,
  createAlias,
  createKey,
  decrypt,
  deleteAlias,
  describeKey,
  disableKey,
  enableKey,
  encrypt,
  generateDataKey,
  generateDataKeyPair,
  generateMac,
  generateRandom,
  getPublicKey,
  listAliases,
  listKeys,
  reEncrypt,
  rotateKey,
  scheduleKeyDeletion,
  setKeyRotation,
  sign,
  tagKey,
  updateAlias,
  updateKeyDescription,
  updateKeyVersion,
  verify,
  verifyMac,
} from '../../src/service/index.js';
import { makeKms, type KmsHarness } from '../support/kms-harness.js';

const plaintext = Buffer.from('for root only');
const message = Buffer.from('signed by root');

let h: KmsHarness;
let aes: string;
let aes2: string;
let rsa: string;
let mac: string;
let ecc: string;
let pending: string;
let ciphertext: Buffer;
let rsaCiphertext: Buffer;
let signature: Buffer;
let tag: Buffer;

beforeAll(async () => {
  h = await makeKms();
  aes = (await createKey(h.ctx, { alias: 'alias/guarded', tags: { owner: 'root' } })).keyId;
  aes2 = (await createKey(h.ctx, {})).keyId;
  rsa = (await createKey(h.ctx, { spec: 'RSA_2048' })).keyId;
  mac = (await createKey(h.ctx, { spec: 'HMAC_256' })).keyId;
  ecc = (await createKey(h.ctx, { spec: 'ECC_NIST_P256' })).keyId;
  pending = (await createKey(h.ctx, {})).keyId;
  await scheduleKeyDeletion(h.ctx, { keyId: pending });
  ciphertext = (await encrypt(h.ctx, { keyId: aes, plaintext })).ciphertext;
  rsaCiphertext = (await encrypt(h.ctx, { keyId: rsa, plaintext, algorithm: 'RSAES_OAEP_SHA_256' }))
    .ciphertext;
  signature = (await sign(h.ctx, { keyId: ecc, message, algorithm: 'ECDSA_SHA_256' })).signature;
  tag = (await generateMac(h.ctx, { keyId: mac, message, algorithm: 'HMAC_SHA_256' })).mac;
});
afterAll(async () => {
  await h.close();
});

async function snapshot() {
  const keys = (await h.store.listKeys({}, { limit: 1000 })).items;
  const versions = await Promise.all(keys.map((k) => h.store.getVersions(k.id)));
  const aliases = (await h.store.listAliases({}, { limit: 1000 })).items;
  // Refused requests are not "use" either.
  const lastUsed = keys.map((k) => h.kms.usage.lastUsedAt(k.id));
  const pending = versions.flat().map((v) => h.kms.usage.pendingCount(v.keyId, v.version));
  return { keys, versions, aliases, lastUsed, pending };
}

type Op = (ctx: RequestContext) => Promise<unknown>;

/** Every operation, well-formed, against keys the caller may not touch. */
const OPERATIONS: [string, Op][] = [
  ['createKey', (ctx) => createKey(ctx, {})],
  ['createKey with an alias', (ctx) => createKey(ctx, { alias: 'alias/intruder' })],
  ['describeKey', (ctx) => describeKey(ctx, { keyId: aes })],
  ['describeKey by alias', (ctx) => describeKey(ctx, { keyId: 'alias/guarded' })],
  ['listKeys', (ctx) => listKeys(ctx, {})],
  ['listAliases', (ctx) => listAliases(ctx, {})],
  ['listAliases of a key', (ctx) => listAliases(ctx, { keyId: aes })],
  ['updateKeyDescription', (ctx) => updateKeyDescription(ctx, { keyId: aes, description: 'x' })],
  ['tagKey (set)', (ctx) => tagKey(ctx, { keyId: aes, set: { owner: 'x' } })],
  ['tagKey (remove)', (ctx) => tagKey(ctx, { keyId: aes, remove: ['owner'] })],
  ['createAlias', (ctx) => createAlias(ctx, { alias: 'alias/intruder', keyId: aes })],
  ['updateAlias', (ctx) => updateAlias(ctx, { alias: 'alias/guarded', keyId: aes2 })],
  ['deleteAlias', (ctx) => deleteAlias(ctx, { alias: 'alias/guarded' })],
  ['enableKey', (ctx) => enableKey(ctx, { keyId: aes })],
  ['disableKey', (ctx) => disableKey(ctx, { keyId: aes })],
  ['rotateKey', (ctx) => rotateKey(ctx, { keyId: aes })],
  ['setKeyRotation (on)', (ctx) => setKeyRotation(ctx, { keyId: aes, rotationPeriodDays: 90 })],
  ['setKeyRotation (off)', (ctx) => setKeyRotation(ctx, { keyId: aes, rotationPeriodDays: null })],
  [
    'updateKeyVersion',
    (ctx) => updateKeyVersion(ctx, { keyId: aes, version: 1, state: 'Compromised' }),
  ],
  ['scheduleKeyDeletion', (ctx) => scheduleKeyDeletion(ctx, { keyId: aes })],
  ['cancelKeyDeletion', (ctx) => cancelKeyDeletion(ctx, { keyId: pending })],
  ['encrypt', (ctx) => encrypt(ctx, { keyId: aes, plaintext })],
  ['encrypt by alias', (ctx) => encrypt(ctx, { keyId: 'alias/guarded', plaintext })],
  ['decrypt', (ctx) => decrypt(ctx, { ciphertext })],
  [
    'decrypt (RSA)',
    (ctx) =>
      decrypt(ctx, { ciphertext: rsaCiphertext, keyId: rsa, algorithm: 'RSAES_OAEP_SHA_256' }),
  ],
  ['reEncrypt', (ctx) => reEncrypt(ctx, { ciphertext, destinationKeyId: aes2 })],
  [
    'generateDataKey',
    (ctx) => generateDataKey(ctx, { keyId: aes, keySpec: 'AES_256', withPlaintext: true }),
  ],
  [
    'generateDataKey without plaintext',
    (ctx) => generateDataKey(ctx, { keyId: aes, keySpec: 'AES_256', withPlaintext: false }),
  ],
  [
    'generateDataKeyPair',
    (ctx) =>
      generateDataKeyPair(ctx, { keyId: aes, keyPairSpec: 'ECC_NIST_P256', withPlaintext: true }),
  ],
  [
    'generateDataKeyPair without plaintext',
    (ctx) => generateDataKeyPair(ctx, { keyId: aes, keyPairSpec: 'ED25519', withPlaintext: false }),
  ],
  ['sign', (ctx) => sign(ctx, { keyId: ecc, message, algorithm: 'ECDSA_SHA_256' })],
  ['verify', (ctx) => verify(ctx, { keyId: ecc, message, signature, algorithm: 'ECDSA_SHA_256' })],
  ['getPublicKey', (ctx) => getPublicKey(ctx, { keyId: ecc })],
  ['generateMac', (ctx) => generateMac(ctx, { keyId: mac, message, algorithm: 'HMAC_SHA_256' })],
  [
    'verifyMac',
    (ctx) => verifyMac(ctx, { keyId: mac, message, mac: tag, algorithm: 'HMAC_SHA_256' }),
  ],
  ['generateRandom', (ctx) => generateRandom(ctx, { numberOfBytes: 32 })],
];

const principals: Principal[] = [
  { id: 'user/x', kind: 'user', policies: [] },
  { id: 'user/admin', kind: 'user', policies: ['admin', 'root'] },
  { id: 'service/app', kind: 'service', policies: [] },
  { id: 'anonymous', kind: 'anonymous', policies: [] },
  // A name is not a kind: only the root kind is root.
  { id: 'root', kind: 'user', policies: [] },
];

describe.each(principals)('$kind $id (no policies configured)', (principal) => {
  it.each(OPERATIONS)('is denied %s (ACCESS_DENIED), and nothing changes', async (_, run) => {
    const before = await snapshot();
    const error: unknown = await run(h.as(principal)).then(
      () => 'no error',
      (e: unknown) => e,
    );
    expect(isKmsError(error) ? error.code : error).toBe('ACCESS_DENIED');
    expect(await snapshot()).toEqual(before);
  });
});

describe('a request that names nothing to authorize', () => {
  it('tagKey with neither tags to set nor to remove is refused and writes nothing', async () => {
    const before = await snapshot();
    const error: unknown = await tagKey(h.as(principals[0] ?? h.ctx.principal), {
      keyId: aes,
    }).then(
      () => 'no error',
      (e: unknown) => e,
    );
    expect(isKmsError(error) ? error.code : error).toBe('INVALID_INPUT');
    expect(await snapshot()).toEqual(before);
  });
});

describe('the root principal', () => {
  it('may still do all of it afterwards', async () => {
    expect((await describeKey(h.ctx, { keyId: aes })).tags).toEqual({ owner: 'root' });
    expect((await decrypt(h.ctx, { ciphertext })).plaintext.bytes).toEqual(plaintext);
    expect((await listAliases(h.ctx, {})).aliases.map((a) => a.name)).toEqual(['alias/guarded']);
  });
});
