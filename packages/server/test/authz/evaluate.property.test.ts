import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, type NamedPolicy } from '../../src/authz/evaluate.js';
import { wildcard } from '../../src/authz/wildcard.js';
import type { AccessRequest } from '../../src/core/access.js';
import { ACTIONS } from '../../src/core/actions.js';
import type { PolicyStatement } from '../../src/core/identity.js';

const action = fc.constantFrom(...ACTIONS);
const keyId = fc.uuid();
const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
// Characters that make wildcard compilation interesting (regex metacharacters included).
const patternChar = fc.constantFrom(
  'a',
  'b',
  '/',
  '-',
  ':',
  '.',
  '+',
  '(',
  '?',
  '\\',
  '$',
  '^',
  '[',
  '*',
);
const text = fc.string({
  unit: fc.constantFrom('a', 'b', '/', '-', ':', '.', '+', '(', '?', '\\', '$', '^', '[', '*'),
  maxLength: 12,
});

const request = fc.record<AccessRequest>(
  {
    action,
    keyId,
    aliases: fc.array(
      name.map((n) => `alias/${n}`),
      { maxLength: 3 },
    ),
    tags: fc.dictionary(name, name, { maxKeys: 3 }),
    sourceAddress: fc.ipV4(),
  },
  { requiredKeys: ['action'] },
);

const statement = (effect: 'allow' | 'deny') =>
  fc.record<PolicyStatement>(
    {
      effect: fc.constant(effect),
      actions: fc.array(
        fc.oneof(action, fc.constantFrom('*', 'kms:*', 'kms:Generate*', 'custos:*')),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
      resources: fc.array(
        fc.oneof(
          fc.constant('*'),
          fc.constant('key/*'),
          name.map((n) => `alias/${n}*`),
        ),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
    },
    { requiredKeys: ['effect', 'actions', 'resources'] },
  );

const policies = (effect: 'allow' | 'deny') =>
  fc.array(
    fc.record({
      name,
      document: fc.record({
        version: fc.constant('2026-11-01' as const),
        statements: fc.array(statement(effect), { maxLength: 4 }),
      }),
    }),
    { maxLength: 3 },
  );

/** A statement matching exactly `request` (and everything else). */
function catchAll(effect: 'allow' | 'deny'): NamedPolicy {
  return {
    name: `${effect}-all`,
    document: { version: '2026-11-01', statements: [{ effect, actions: ['*'], resources: ['*'] }] },
  };
}

describe('evaluate (properties)', () => {
  it('deny always beats allow: adding a matching deny anywhere denies', () => {
    fc.assert(
      fc.property(
        policies('allow'),
        policies('deny'),
        request,
        fc.nat(),
        (allows, denies, req, at) => {
          const all: NamedPolicy[] = [...allows, ...denies];
          all.splice(at % (all.length + 1), 0, catchAll('deny'));
          const decision = evaluate(all, req);
          expect(decision.allowed).toBe(false);
          expect(decision.statement).not.toBe('default-deny');
        },
      ),
    );
  });

  it('no statements: always denied by default', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 3 }), request, (names, req) => {
        const empty = names.map((n) => ({
          name: n,
          document: { version: '2026-11-01' as const, statements: [] },
        }));
        expect(evaluate(empty, req)).toEqual({ allowed: false, statement: 'default-deny' });
      }),
    );
  });

  it('only allow statements: denied exactly when none matches', () => {
    fc.assert(
      fc.property(policies('allow'), request, (allows, req) => {
        const decision = evaluate(allows, req);
        const withCatchAll = evaluate([...allows, catchAll('allow')], req);
        expect(withCatchAll.allowed).toBe(true);
        if (!decision.allowed) expect(decision.statement).toBe('default-deny');
      }),
    );
  });

  it('adding an allow never turns an allowed request into a denied one', () => {
    fc.assert(
      fc.property(
        policies('allow'),
        policies('deny'),
        policies('allow'),
        request,
        (a, d, extra, req) => {
          if (evaluate([...a, ...d], req).allowed)
            expect(evaluate([...a, ...d, ...extra], req).allowed).toBe(true);
        },
      ),
    );
  });

  it('a prefix pattern never matches a value with a different prefix', () => {
    fc.assert(
      fc.property(text, text, (prefix, value) => {
        const literal = prefix.replaceAll('*', '');
        if (wildcard(`${literal}*`)(value)) expect(value.startsWith(literal)).toBe(true);
        expect(wildcard(`${literal}*`)(literal + value)).toBe(true);
      }),
    );
  });

  it('a pattern without * matches only itself, metacharacters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: patternChar, maxLength: 10 }), text, (raw, value) => {
        const literal = raw.replaceAll('*', '');
        expect(wildcard(literal)(value)).toBe(value === literal);
        expect(wildcard(literal)(literal)).toBe(true);
      }),
    );
  });

  it('an infix pattern keeps both its prefix and its suffix', () => {
    fc.assert(
      fc.property(text, text, text, (a, b, value) => {
        const [head, tail] = [a.replaceAll('*', ''), b.replaceAll('*', '')];
        const matches = wildcard(`${head}*${tail}`)(value);
        expect(matches).toBe(
          value.length >= head.length + tail.length &&
            value.startsWith(head) &&
            value.endsWith(tail),
        );
      }),
    );
  });

  it('alias prefix resources never match an alias outside the prefix', () => {
    fc.assert(
      fc.property(name, name, keyId, action, (granted, asked, id, act) => {
        const p: NamedPolicy[] = [
          {
            name: 'p',
            document: {
              version: '2026-11-01',
              statements: [{ effect: 'allow', actions: ['*'], resources: [`alias/${granted}*`] }],
            },
          },
        ];
        const decision = evaluate(p, { action: act, keyId: id, aliases: [`alias/${asked}`] });
        expect(decision.allowed).toBe(asked.startsWith(granted));
      }),
    );
  });
});
