import { describe, expect, it } from 'vitest';
import { parsePolicyDocument, policyNameSchema } from '../../src/authz/policy-schema.js';
import { isKmsError } from '../../src/core/errors.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isKmsError(error)) return error.code;
    throw error;
  }
  return 'OK';
}

const base = {
  version: '2026-11-01',
  statements: [{ effect: 'allow', actions: ['kms:Encrypt'], resources: ['*'] }],
};

describe('policy document schema', () => {
  it('accepts a complete document', () => {
    const doc = {
      version: '2026-11-01',
      statements: [
        {
          sid: 'app-encrypt',
          effect: 'allow',
          actions: ['kms:Encrypt', 'kms:Generate*', 'custos:*', '*'],
          resources: ['*', 'key/*', 'alias/app-*', '1234abcd-12ab-34cd-56ef-1234567890ab'],
          conditions: {
            tags: { team: 'payments' },
            encryptionContext: { tenant: '*' },
            sourceAddress: ['10.0.0.0/8', '2001:db8::/32', '127.0.0.1', '::1'],
            requireReplayProtection: true,
          },
        },
        { effect: 'deny', actions: ['kms:ScheduleKeyDeletion'], resources: ['*'] },
      ],
    };
    expect(parsePolicyDocument(doc)).toEqual(doc);
  });

  it('accepts a document with no statements (it allows nothing)', () => {
    expect(parsePolicyDocument({ version: '2026-11-01', statements: [] }).statements).toEqual([]);
  });

  it.each([
    ['another version', { ...base, version: '2012-10-17' }],
    ['no statements field', { version: '2026-11-01' }],
    ['an unknown top-level field', { ...base, Statement: [] }],
    [
      'an unknown statement field',
      { ...base, statements: [{ ...base.statements[0], condition: {} }] },
    ],
    [
      'an unknown condition',
      { ...base, statements: [{ ...base.statements[0], conditions: { time: 'now' } }] },
    ],
    [
      'an effect in capitals',
      { ...base, statements: [{ ...base.statements[0], effect: 'Allow' }] },
    ],
    ['no actions', { ...base, statements: [{ ...base.statements[0], actions: [] }] }],
    ['no resources', { ...base, statements: [{ ...base.statements[0], resources: [] }] }],
    [
      'a misspelt action',
      { ...base, statements: [{ ...base.statements[0], actions: ['kms:Encrpyt'] }] },
    ],
    [
      'an action pattern matching nothing',
      { ...base, statements: [{ ...base.statements[0], actions: ['kms:Foo*'] }] },
    ],
    [
      'an action of another service',
      { ...base, statements: [{ ...base.statements[0], actions: ['s3:GetObject'] }] },
    ],
    [
      'a malformed CIDR',
      {
        ...base,
        statements: [{ ...base.statements[0], conditions: { sourceAddress: ['10.0.0.0/33'] } }],
      },
    ],
    [
      'a host name as address',
      {
        ...base,
        statements: [{ ...base.statements[0], conditions: { sourceAddress: ['localhost'] } }],
      },
    ],
    [
      'an IPv6 prefix too long',
      {
        ...base,
        statements: [{ ...base.statements[0], conditions: { sourceAddress: ['::1/129'] } }],
      },
    ],
    [
      'a non-string tag value',
      { ...base, statements: [{ ...base.statements[0], conditions: { tags: { a: 1 } } }] },
    ],
    [
      'duplicate sids',
      {
        ...base,
        statements: [
          { ...base.statements[0], sid: 'a' },
          { ...base.statements[0], sid: 'a' },
        ],
      },
    ],
    ['a sid with a #', { ...base, statements: [{ ...base.statements[0], sid: 'a#b' }] }],
    ['not an object', 'allow everything'],
    ['null', null],
  ])('refuses %s as INVALID_INPUT', (_name, doc) => {
    expect(codeOf(() => parsePolicyDocument(doc))).toBe('INVALID_INPUT');
  });

  it('names the field at fault without echoing values', () => {
    try {
      parsePolicyDocument({
        ...base,
        statements: [{ ...base.statements[0], actions: ['kms:SecretSauce'] }],
      });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/statements\.0\.actions\.0/);
      expect(String(error)).not.toMatch(/SecretSauce/);
    }
  });

  it('checks policy names', () => {
    expect(policyNameSchema.safeParse('app-readers_1.v2').success).toBe(true);
    for (const bad of ['', '-x', 'a/b', 'a b', 'x'.repeat(129), 'é']) {
      expect(policyNameSchema.safeParse(bad).success).toBe(false);
    }
  });
});
