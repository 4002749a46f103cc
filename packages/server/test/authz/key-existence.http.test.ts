/**
 * A caller who may not use a key cannot tell whether it exists: through every
 * door, a key (or alias) that exists but is not theirs and one that does not
 * exist give the same ACCESS_DENIED, worded the same. Only a caller allowed
 * on what the request names learns NOT_FOUND. Real server, real clients.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { encryptCiphertext } from '@custos/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppHarness, startTestApp } from '../observability/app-harness.js';
import { awsClient, type AwsFailure, awsFailure } from './aws-failure.js';

let h: AppHarness;
let own: string;
let other: string;
const missing = randomUUID();
const tokens: Record<string, string> = {};
const clients: Record<string, KMSClient> = {};

const allow = (resources: string[], conditions?: object) => ({
  effect: 'allow',
  actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
  resources,
  ...(conditions !== undefined && { conditions }),
});

/** Principals by what their one policy allows (none: no policy at all). */
const POLICIES: Record<string, object | undefined> = {
  none: undefined,
  aliases: allow(['alias/team-*', 'alias/vault/transit/team-*']),
  tagged: allow(['*'], { tags: { env: 'dev' } }),
  anyKey: allow(['key/*']),
  everything: allow(['*']),
};

async function ok(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const reply = await h.call(method, path, body === undefined ? {} : { body });
  expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
  return reply.body;
}

beforeAll(async () => {
  h = await startTestApp({ logging: { level: 'silent' } });
  own = String(
    (await ok('POST', '/api/v1/keys', { alias: 'alias/team-a', tags: { env: 'dev' } })).keyId,
  );
  other = String(
    (await ok('POST', '/api/v1/keys', { alias: 'alias/other', tags: { env: 'prod' } })).keyId,
  );
  await ok('POST', '/api/v1/aliases', { alias: 'alias/vault/transit/secret', keyId: other });
  await ok('POST', '/api/v1/aliases', { alias: 'alias/vault/transit/team-v', keyId: own });
  for (const [name, statement] of Object.entries(POLICIES)) {
    const id = `user/${name}`;
    if (statement !== undefined) {
      await ok('PUT', `/api/v1/policies/${name}`, {
        version: '2026-11-01',
        statements: [statement],
      });
    }
    await ok('POST', '/api/v1/principals', {
      id,
      policies: statement === undefined ? [] : [name],
    });
    tokens[name] = String((await ok('POST', '/api/v1/tokens', { principal: id })).token);
    const access = await ok('POST', '/api/v1/access-keys', { principal: id });
    clients[name] = awsClient(h.app.url, {
      accessKeyId: String(access.accessKeyId),
      secretAccessKey: String(access.secretAccessKey),
    });
  }
}, 60_000);
afterAll(async () => {
  for (const client of Object.values(clients)) client.destroy();
  await h.close();
});

interface Outcome {
  readonly status: number;
  readonly code: string;
  /** The message with the reference as named replaced by `<ref>`. */
  readonly detail: string;
}

async function rest(who: string, ref: string, op: 'describe' | 'encrypt'): Promise<Outcome> {
  const path = `/api/v1/keys/${encodeURIComponent(ref)}${op === 'encrypt' ? '/encrypt' : ''}`;
  const reply = await h.call(op === 'encrypt' ? 'POST' : 'GET', path, {
    token: tokens[who] ?? '',
    ...(op === 'encrypt' && { body: { plaintext: Buffer.from('x').toString('base64') } }),
  });
  return {
    status: reply.status,
    code: typeof reply.body.code === 'string' ? reply.body.code : 'OK',
    detail: typeof reply.body.detail === 'string' ? reply.body.detail.replaceAll(ref, '<ref>') : '',
  };
}

async function aws(who: string, ref: string, op: 'describe' | 'encrypt'): Promise<AwsFailure> {
  const client = clients[who];
  if (client === undefined) throw new Error(`no client for ${who}`);
  // The door parses an ARN down to the key id or alias name; refusals name that.
  const named = ref.startsWith('arn:')
    ? ref
        .split(':')
        .slice(5)
        .join(':')
        .replace(/^key\//, '')
    : ref;
  const call =
    op === 'describe'
      ? client.send(new DescribeKeyCommand({ KeyId: ref }))
      : client.send(new EncryptCommand({ KeyId: ref, Plaintext: Buffer.from('x') }));
  return awsFailure(call, named);
}

async function vault(who: string, name: string): Promise<{ status: number; errors: unknown }> {
  const response = await fetch(`${h.app.url}/v1/transit/keys/${name}`, {
    headers: { 'x-vault-token': tokens[who] ?? '' },
  });
  const body = (await response.json()) as { errors?: unknown };
  return { status: response.status, errors: body.errors ?? null };
}

const DENIED_REST: Outcome = {
  status: 403,
  code: 'ACCESS_DENIED',
  detail: '',
};

describe('REST: refusals do not tell whether a key exists', () => {
  const refs = () => ({
    'a key of another': other,
    'a missing key id': missing,
    'an alias of another': 'alias/other',
    'a missing alias': 'alias/nothing-here',
  });

  for (const who of ['none', 'aliases', 'tagged']) {
    for (const op of ['describe', 'encrypt'] as const) {
      it(`${who}: ${op} is ACCESS_DENIED, worded alike, for existing and missing keys`, async () => {
        const outcomes = await Promise.all(Object.values(refs()).map((ref) => rest(who, ref, op)));
        for (const outcome of outcomes) {
          expect(outcome).toEqual({ ...DENIED_REST, detail: outcomes[0]?.detail });
        }
        expect(outcomes[0]?.detail).toMatch(
          new RegExp(`^user/${who} is not allowed .* on key <ref>$`),
        );
      });
    }
  }

  it('the caller allowed on what was named learns that it does not exist', async () => {
    expect(await rest('aliases', 'alias/team-gone', 'describe')).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(await rest('everything', missing, 'encrypt')).toMatchObject({ status: 404 });
    expect(await rest('everything', 'alias/nothing-here', 'encrypt')).toMatchObject({
      status: 404,
    });
    // `key/*` matches every key, so also whichever key a missing alias would name.
    expect(await rest('anyKey', missing, 'describe')).toMatchObject({ status: 404 });
    expect(await rest('anyKey', 'alias/nothing-here', 'describe')).toMatchObject({ status: 404 });
  });

  it('allows stay as they were: by alias, by the alias of a key named by id, by tags', async () => {
    expect((await rest('aliases', 'alias/team-a', 'encrypt')).status).toBe(200);
    expect((await rest('aliases', own, 'describe')).status).toBe(200);
    expect((await rest('tagged', own, 'encrypt')).status).toBe(200);
    expect((await rest('tagged', 'alias/team-a', 'describe')).status).toBe(200);
    expect((await rest('anyKey', 'alias/other', 'describe')).status).toBe(200);
  });

  it('a tag-conditioned allow never tells a missing key from another one', async () => {
    // The missing key has no tags: the condition cannot hold, as for a prod key.
    expect(await rest('tagged', missing, 'describe')).toEqual(
      await rest('tagged', other, 'describe'),
    );
  });
});

describe('decrypt: a ciphertext naming a missing key is refused like one of another key', () => {
  // Well formed, naming a key that does not exist (the header is not secret).
  const forged = encryptCiphertext(
    randomBytes(32),
    { keyId: missing, keyVersion: 1 },
    Buffer.from('x'),
  );
  let othersCiphertext: Buffer;
  beforeAll(async () => {
    const out = await ok('POST', `/api/v1/keys/${other}/encrypt`, {
      plaintext: Buffer.from('x').toString('base64'),
    });
    othersCiphertext = Buffer.from(String(out.ciphertext), 'base64');
  });

  const decryptRest = async (who: string, ciphertext: Buffer) => {
    const reply = await h.call('POST', '/api/v1/decrypt', {
      token: tokens[who] ?? '',
      body: { ciphertext: ciphertext.toString('base64') },
    });
    return { status: reply.status, code: reply.body.code };
  };

  it('REST: 403 for both to a denied caller; INVALID_CIPHERTEXT only where allowed', async () => {
    for (const who of ['none', 'aliases', 'tagged']) {
      expect(await decryptRest(who, forged)).toEqual({ status: 403, code: 'ACCESS_DENIED' });
      expect(await decryptRest(who, othersCiphertext)).toEqual({
        status: 403,
        code: 'ACCESS_DENIED',
      });
    }
    expect(await decryptRest('everything', forged)).toEqual({
      status: 400,
      code: 'INVALID_CIPHERTEXT',
    });
  });

  it('AWS: AccessDeniedException for both to a denied caller', async () => {
    const client = clients.none;
    if (client === undefined) throw new Error('no client');
    for (const blob of [forged, othersCiphertext]) {
      expect(
        (await awsFailure(client.send(new DecryptCommand({ CiphertextBlob: blob })), missing)).name,
      ).toBe('AccessDeniedException');
    }
    const allowed = clients.everything;
    if (allowed === undefined) throw new Error('no client');
    expect(
      (await awsFailure(allowed.send(new DecryptCommand({ CiphertextBlob: forged })), missing))
        .name,
    ).toBe('InvalidCiphertextException');
  });
});

describe('AWS KMS door: the same refusals', () => {
  const arn = (resource: string) => `arn:aws:kms:us-east-1:111122223333:${resource}`;

  for (const op of ['describe', 'encrypt'] as const) {
    it(`${op}: AccessDeniedException for existing and missing keys, ids, aliases and ARNs`, async () => {
      const refs = [
        other,
        missing,
        'alias/other',
        'alias/nothing-here',
        arn(`key/${other}`),
        arn(`key/${missing}`),
        arn('alias/other'),
        arn('alias/nothing-here'),
      ];
      for (const who of ['none', 'aliases', 'tagged']) {
        const outcomes = await Promise.all(refs.map((ref) => aws(who, ref, op)));
        for (const outcome of outcomes) {
          expect(outcome).toEqual({ name: 'AccessDeniedException', message: outcomes[0]?.message });
        }
      }
    });
  }

  it('NotFoundException only for a caller allowed on what was named', async () => {
    expect((await aws('aliases', 'alias/team-gone', 'describe')).name).toBe('NotFoundException');
    expect((await aws('anyKey', arn(`key/${missing}`), 'encrypt')).name).toBe('NotFoundException');
    expect((await aws('tagged', own, 'encrypt')).name).toBe('OK');
  });
});

describe('Vault door: the same refusals', () => {
  it('403 "permission denied" for an existing and a missing key name', async () => {
    for (const who of ['none', 'aliases', 'tagged']) {
      const existing = await vault(who, 'secret');
      expect(existing).toEqual({ status: 403, errors: ['permission denied'] });
      expect(await vault(who, 'nothing-here')).toEqual(existing);
    }
  });

  it('404 only for a caller allowed on the name; allowed names still read', async () => {
    expect((await vault('aliases', 'team-gone')).status).toBe(404);
    expect((await vault('aliases', 'team-v')).status).toBe(200);
  });
});
