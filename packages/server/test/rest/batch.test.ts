import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_OPERATIONS, MAX_BATCH_ITEMS } from '../../src/protocols/rest/batch-routes.js';
import { b64, makeApi, problemCode, unb64, type RestHarness } from './rest-harness.js';

let api: RestHarness;
let keyId: string;
beforeAll(async () => {
  api = await makeApi();
  keyId = String((await api.call('POST', '/keys', {})).body.keyId);
});
afterAll(async () => {
  await api.close();
});

interface Result {
  id?: string;
  status: number;
  output?: Record<string, unknown>;
  error?: Record<string, unknown>;
}

async function batch(operations: unknown[]): Promise<Result[]> {
  const res = await api.call('POST', '/batch', { operations });
  expect(res.status).toBe(200);
  return res.body.results as Result[];
}

describe('POST /batch', () => {
  it('runs mixed good and bad items, each with its own result, in order', async () => {
    const results = await batch([
      { id: 'a', operation: 'encrypt', input: { keyId, plaintext: b64('one') } },
      { id: 'b', operation: 'encrypt', input: { keyId: 'alias/none', plaintext: b64('x') } },
      { id: 'c', operation: 'encrypt', input: { keyId, plaintext: 7 } },
      { id: 'd', operation: 'launchMissiles', input: {} },
      { id: 'e', operation: 'describeKey', input: { keyId } },
      'not an item',
      { id: 'g', operation: 'encrypt', input: { keyId, plaintext: b64('x') }, extra: true },
      { id: 'h', operation: 'createAlias', input: { alias: 'alias/batch', keyId } },
      { id: 'i', operation: 'generateRandom', input: { numberOfBytes: 8 } },
    ]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['a', 200],
      ['b', 404],
      ['c', 400],
      ['d', 400],
      ['e', 200],
      [undefined, 400],
      ['g', 400],
      ['h', 204],
      ['i', 200],
    ]);
    expect(results[1]?.error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(results[2]?.error).toMatchObject({ code: 'INVALID_INPUT', field: 'input.plaintext' });
    expect(results[3]?.error).toMatchObject({ code: 'INVALID_INPUT', field: 'operation' });
    expect(results[5]?.error).toMatchObject({ code: 'INVALID_INPUT', field: 'item' });
    expect(results[4]?.output).toMatchObject({ keyId, state: 'Enabled' });
    expect(results[7]).not.toHaveProperty('output');
    expect(unb64(results[8]?.output?.random)).toHaveLength(8);
  });

  it('later items see earlier ones: create a key, alias it, encrypt and decrypt through it', async () => {
    const results = await batch([
      { operation: 'createKey', input: { alias: 'alias/in-batch' } },
      { operation: 'encrypt', input: { keyId: 'alias/in-batch', plaintext: b64('chained') } },
    ]);
    expect(results[0]?.status).toBe(201);
    const ciphertext = results[1]?.output?.ciphertext;
    const [decrypted] = await batch([{ operation: 'decrypt', input: { ciphertext } }]);
    expect(unb64(decrypted?.output?.plaintext).toString()).toBe('chained');
  });

  it('a disabled key fails its items only', async () => {
    const disabled = String((await api.call('POST', '/keys', {})).body.keyId);
    const results = await batch([
      { operation: 'disableKey', input: { keyId: disabled } },
      { operation: 'encrypt', input: { keyId: disabled, plaintext: b64('x') } },
      { operation: 'encrypt', input: { keyId, plaintext: b64('x') } },
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 409, 200]);
    expect(results[1]?.error?.code).toBe('KEY_DISABLED');
  });

  it(`refuses an empty batch and more than ${String(MAX_BATCH_ITEMS)} items as a whole`, async () => {
    const empty = await api.call('POST', '/batch', { operations: [] });
    expect(empty.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body.operations' });
    const item = { operation: 'generateRandom', input: { numberOfBytes: 1 } };
    const tooMany = await api.call('POST', '/batch', {
      operations: Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => item),
    });
    expect(problemCode(tooMany)).toBe('INVALID_INPUT');
    const full = await batch(Array.from({ length: MAX_BATCH_ITEMS }, () => item));
    expect(full).toHaveLength(MAX_BATCH_ITEMS);
  });

  it('names every key operation by its service function name', () => {
    expect([...BATCH_OPERATIONS.keys()].sort()).toEqual(
      [
        'backupKey',
        'cancelKeyDeletion',
        'createAlias',
        'createKey',
        'decrypt',
        'deleteAlias',
        'deleteImportedKeyMaterial',
        'describeKey',
        'disableKey',
        'enableKey',
        'encrypt',
        'exportKey',
        'generateDataKey',
        'generateDataKeyPair',
        'generateMac',
        'generateRandom',
        'getKeyUsage',
        'getParametersForImport',
        'getPublicKey',
        'importKeyMaterial',
        'listAliases',
        'listKeys',
        'reEncrypt',
        'restoreKey',
        'rotateKey',
        'scheduleKeyDeletion',
        'setKeyRotation',
        'sign',
        'tagKey',
        'updateAlias',
        'updateKeyDescription',
        'updateKeySettings',
        'updateKeyVersion',
        'verify',
        'verifyMac',
      ].sort(),
    );
  });
});
