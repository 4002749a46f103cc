import { describe, expect, it } from 'vitest';
import { evaluate, type NamedPolicy } from '../../src/authz/evaluate.js';
import type { AccessRequest } from '../../src/core/access.js';
import type { PolicyStatement } from '../../src/core/identity.js';

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER = '9999abcd-12ab-34cd-56ef-1234567890ab';

function policy(name: string, ...statements: PolicyStatement[]): NamedPolicy {
  return { name, document: { version: '2026-11-01', statements } };
}

function allow(
  actions: string[],
  resources: string[],
  extra: Partial<PolicyStatement> = {},
): PolicyStatement {
  return { effect: 'allow', actions, resources, ...extra };
}
function deny(
  actions: string[],
  resources: string[],
  extra: Partial<PolicyStatement> = {},
): PolicyStatement {
  return { effect: 'deny', actions, resources, ...extra };
}

const onKey = (
  action: AccessRequest['action'],
  extra: Partial<AccessRequest> = {},
): AccessRequest => ({
  action,
  keyId: KEY,
  aliases: ['alias/app-payments'],
  tags: { team: 'payments', env: 'prod' },
  ...extra,
});

interface Case {
  readonly name: string;
  readonly policies: NamedPolicy[];
  readonly request: AccessRequest;
  readonly allowed: boolean;
  readonly statement: string;
}

const cases: Case[] = [
  {
    name: 'no policies: default deny',
    policies: [],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'an allow on the key id',
    policies: [policy('p', allow(['kms:Encrypt'], [KEY], { sid: 'enc' }))],
    request: onKey('kms:Encrypt'),
    allowed: true,
    statement: 'p#enc',
  },
  {
    name: 'an allow names its index when it has no sid',
    policies: [policy('p', allow(['kms:Decrypt'], [KEY]), allow(['kms:Encrypt'], [KEY]))],
    request: onKey('kms:Encrypt'),
    allowed: true,
    statement: 'p#1',
  },
  {
    name: 'an allow for another action does not apply',
    policies: [policy('p', allow(['kms:Decrypt'], [KEY]))],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'an allow on another key does not apply',
    policies: [policy('p', allow(['kms:Encrypt'], [OTHER]))],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'an explicit deny alone',
    policies: [policy('p', deny(['kms:Encrypt'], ['*'], { sid: 'no' }))],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'p#no',
  },
  {
    name: 'explicit deny wins over an allow in the same policy, whatever the order',
    policies: [
      policy(
        'p',
        allow(['kms:*'], ['*'], { sid: 'all' }),
        deny(['kms:Encrypt'], [KEY], { sid: 'no' }),
      ),
    ],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'p#no',
  },
  {
    name: 'explicit deny in one policy wins over an allow in another',
    policies: [
      policy('deny-first', deny(['kms:*'], ['key/*'])),
      policy('admin', allow(['*'], ['*'])),
    ],
    request: onKey('kms:Decrypt'),
    allowed: false,
    statement: 'deny-first#0',
  },
  {
    name: 'action wildcard kms:*',
    policies: [policy('p', allow(['kms:*'], ['*']))],
    request: onKey('kms:Sign'),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'action prefix wildcard kms:Generate*',
    policies: [policy('p', allow(['kms:Generate*'], ['*']))],
    request: onKey('kms:GenerateDataKeyPair'),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'kms:Generate* does not match kms:Encrypt',
    policies: [policy('p', allow(['kms:Generate*'], ['*']))],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'kms:* does not match custos actions',
    policies: [policy('p', allow(['kms:*'], ['*']))],
    request: { action: 'custos:PutPolicy', resource: 'policy/x' },
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'resource key/* matches any key',
    policies: [policy('p', allow(['kms:Encrypt'], ['key/*']))],
    request: onKey('kms:Encrypt'),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'resource key/<id> matches that key',
    policies: [policy('p', allow(['kms:Encrypt'], [`key/${KEY}`]))],
    request: onKey('kms:Encrypt'),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'resource alias name',
    policies: [policy('p', allow(['kms:Encrypt'], ['alias/app-payments']))],
    request: onKey('kms:Encrypt'),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'resource alias prefix',
    policies: [policy('p', allow(['kms:Encrypt'], ['alias/app-*']))],
    request: onKey('kms:Encrypt'),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'resource alias prefix of another application',
    policies: [policy('p', allow(['kms:Encrypt'], ['alias/billing-*']))],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'key/* does not match a request on no resource',
    policies: [policy('p', allow(['kms:CreateKey'], ['key/*']))],
    request: { action: 'kms:CreateKey' },
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: '* matches a request on no resource',
    policies: [policy('p', allow(['kms:CreateKey'], ['*']))],
    request: { action: 'kms:CreateKey' },
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'key/* does not match a principal resource',
    policies: [policy('p', allow(['*'], ['key/*']))],
    request: { action: 'custos:DeletePrincipal', resource: 'principal/user/bob' },
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'principal resource prefix',
    policies: [policy('p', allow(['custos:*'], ['principal/user/*']))],
    request: { action: 'custos:DeletePrincipal', resource: 'principal/user/bob' },
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'tag condition met',
    policies: [
      policy('p', allow(['kms:Encrypt'], ['*'], { conditions: { tags: { team: 'payments' } } })),
    ],
    request: onKey('kms:Encrypt'),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'tag condition with another value',
    policies: [
      policy('p', allow(['kms:Encrypt'], ['*'], { conditions: { tags: { team: 'billing' } } })),
    ],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'tag condition needs every tag',
    policies: [
      policy(
        'p',
        allow(['kms:Encrypt'], ['*'], { conditions: { tags: { team: 'payments', env: 'dev' } } }),
      ),
    ],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'tag condition with a wildcard value',
    policies: [
      policy('p', allow(['kms:Encrypt'], ['*'], { conditions: { tags: { env: 'pr*' } } })),
    ],
    request: onKey('kms:Encrypt'),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'tag condition on a request with no key does not hold',
    policies: [
      policy('p', allow(['kms:CreateKey'], ['*'], { conditions: { tags: { team: '*' } } })),
    ],
    request: { action: 'kms:CreateKey' },
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'a conditional deny whose tag does not match does not apply',
    policies: [
      policy(
        'p',
        allow(['kms:*'], ['*']),
        deny(['kms:*'], ['*'], { conditions: { tags: { env: 'prod' } } }),
      ),
    ],
    request: onKey('kms:Encrypt', { tags: { env: 'dev' } }),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'a conditional deny whose tag matches wins',
    policies: [
      policy(
        'p',
        allow(['kms:*'], ['*']),
        deny(['kms:*'], ['*'], { conditions: { tags: { env: 'prod' } } }),
      ),
    ],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'p#1',
  },
  {
    name: 'encryption context condition met',
    policies: [
      policy(
        'p',
        allow(['kms:Decrypt'], ['*'], { conditions: { encryptionContext: { tenant: 'acme' } } }),
      ),
    ],
    request: onKey('kms:Decrypt', { encryptionContext: { tenant: 'acme', purpose: 'x' } }),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'encryption context condition with another value',
    policies: [
      policy(
        'p',
        allow(['kms:Decrypt'], ['*'], { conditions: { encryptionContext: { tenant: 'acme' } } }),
      ),
    ],
    request: onKey('kms:Decrypt', { encryptionContext: { tenant: 'evil' } }),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'encryption context wildcard requires the key to be present',
    policies: [
      policy(
        'p',
        allow(['kms:Decrypt'], ['*'], { conditions: { encryptionContext: { tenant: '*' } } }),
      ),
    ],
    request: onKey('kms:Decrypt', { encryptionContext: { other: 'acme' } }),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'encryption context wildcard with a key present',
    policies: [
      policy(
        'p',
        allow(['kms:Decrypt'], ['*'], { conditions: { encryptionContext: { tenant: '*' } } }),
      ),
    ],
    request: onKey('kms:Decrypt', { encryptionContext: { tenant: '' } }),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'encryption context condition without a context does not hold',
    policies: [
      policy(
        'p',
        allow(['kms:Decrypt'], ['*'], { conditions: { encryptionContext: { tenant: '*' } } }),
      ),
    ],
    request: onKey('kms:Decrypt'),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'an encryption context key named like an Object property is not found by accident',
    policies: [
      policy(
        'p',
        allow(['kms:Decrypt'], ['*'], { conditions: { encryptionContext: { constructor: '*' } } }),
      ),
    ],
    request: onKey('kms:Decrypt', { encryptionContext: {} }),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'IPv4 source inside the block',
    policies: [
      policy('p', allow(['kms:*'], ['*'], { conditions: { sourceAddress: ['10.0.0.0/8'] } })),
    ],
    request: onKey('kms:Encrypt', { sourceAddress: '10.20.30.40' }),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'IPv4 source outside the block',
    policies: [
      policy('p', allow(['kms:*'], ['*'], { conditions: { sourceAddress: ['10.0.0.0/8'] } })),
    ],
    request: onKey('kms:Encrypt', { sourceAddress: '192.168.1.1' }),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'IPv4-mapped IPv6 source inside an IPv4 block',
    policies: [
      policy('p', allow(['kms:*'], ['*'], { conditions: { sourceAddress: ['127.0.0.0/8'] } })),
    ],
    request: onKey('kms:Encrypt', { sourceAddress: '::ffff:127.0.0.1' }),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'IPv6 source inside the block',
    policies: [
      policy('p', allow(['kms:*'], ['*'], { conditions: { sourceAddress: ['2001:db8::/32'] } })),
    ],
    request: onKey('kms:Encrypt', { sourceAddress: '2001:db8:1::5' }),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'IPv6 source outside the block',
    policies: [
      policy('p', allow(['kms:*'], ['*'], { conditions: { sourceAddress: ['2001:db8::/32'] } })),
    ],
    request: onKey('kms:Encrypt', { sourceAddress: '2001:db9::1' }),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'single-address source',
    policies: [
      policy('p', allow(['kms:*'], ['*'], { conditions: { sourceAddress: ['::1', '127.0.0.1'] } })),
    ],
    request: onKey('kms:Encrypt', { sourceAddress: '::1' }),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'source condition without a known address does not hold',
    policies: [
      policy('p', allow(['kms:*'], ['*'], { conditions: { sourceAddress: ['0.0.0.0/0'] } })),
    ],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'deny from outside the office network',
    policies: [
      policy(
        'p',
        allow(['kms:*'], ['*']),
        deny(['kms:*'], ['*'], {
          sid: 'office',
          conditions: { sourceAddress: ['192.168.0.0/16'] },
        }),
      ),
    ],
    request: onKey('kms:Encrypt', { sourceAddress: '192.168.3.4' }),
    allowed: false,
    statement: 'p#office',
  },
  {
    name: 'replay protection required and given',
    policies: [
      policy('p', allow(['kms:*'], ['*'], { conditions: { requireReplayProtection: true } })),
    ],
    request: onKey('kms:Encrypt', { replayProtected: true }),
    allowed: true,
    statement: 'p#0',
  },
  {
    name: 'replay protection required and missing',
    policies: [
      policy('p', allow(['kms:*'], ['*'], { conditions: { requireReplayProtection: true } })),
    ],
    request: onKey('kms:Encrypt'),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'all conditions must hold',
    policies: [
      policy(
        'p',
        allow(['kms:Decrypt'], ['*'], {
          conditions: {
            tags: { team: 'payments' },
            encryptionContext: { tenant: 'acme' },
            sourceAddress: ['10.0.0.0/8'],
          },
        }),
      ),
    ],
    request: onKey('kms:Decrypt', {
      encryptionContext: { tenant: 'acme' },
      sourceAddress: '11.0.0.1',
    }),
    allowed: false,
    statement: 'default-deny',
  },
  {
    name: 'the first matching allow names the decision',
    policies: [
      policy('a', allow(['kms:Sign'], ['*'])),
      policy('b', allow(['kms:Encrypt'], ['*'], { sid: 's' })),
      policy('c', allow(['*'], ['*'])),
    ],
    request: onKey('kms:Encrypt'),
    allowed: true,
    statement: 'b#s',
  },
];

describe('evaluate', () => {
  it.each(cases)('$name', ({ policies, request, allowed, statement }) => {
    expect(evaluate(policies, request)).toEqual({ allowed, statement });
  });

  it('decides the same the second time (compiled statements are reused)', () => {
    const p = [policy('p', allow(['kms:Encrypt'], ['alias/app-*']))];
    expect(evaluate(p, onKey('kms:Encrypt')).allowed).toBe(true);
    expect(evaluate(p, onKey('kms:Encrypt', { aliases: [] })).allowed).toBe(false);
    expect(evaluate(p, onKey('kms:Encrypt')).allowed).toBe(true);
  });

  it('names the statement by the policy name it was given, even for a shared document', () => {
    const document = policy('x', allow(['kms:Encrypt'], ['*'])).document;
    expect(evaluate([{ name: 'one', document }], onKey('kms:Encrypt')).statement).toBe('one#0');
    expect(evaluate([{ name: 'two', document }], onKey('kms:Encrypt')).statement).toBe('two#0');
  });
});
