import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type CanonicalObject } from '../../src/audit/canonical.js';
import { chainEncoded } from '../../src/audit/chain.js';
import { parseAuditRecord } from '../../src/audit/parse.js';
import {
  CONTEXT_VALUE_MODES,
  DOORS,
  OUTCOMES,
  type UnhashedRecord,
} from '../../src/audit/record.js';
import { encodeRecord } from '../../src/audit/record-encoding.js';

const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

const decision = fc.record({
  action: text,
  keyId: nullable(text),
  resource: nullable(text),
  allowed: fc.boolean(),
  statement: text,
  context: nullable(fc.dictionary(text, nullable(text))),
});

const date = fc.date({
  noInvalidDate: true,
  min: new Date(0),
  max: new Date('9999-12-31T23:59:59Z'),
});

/** What an entry and its record share, member for member. */
const sharedMembers = {
  requestId: text,
  door: fc.constantFrom(...DOORS),
  principal: nullable(text),
  sourceAddress: nullable(text),
  operation: text,
  keyId: nullable(text),
  keyVersion: nullable(fc.integer()),
  outcome: fc.constantFrom(...OUTCOMES),
  errorCode: nullable(text),
};

const record: fc.Arbitrary<UnhashedRecord> = fc.record({
  v: fc.constant(1 as const),
  seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  time: date.map((d) => d.toISOString()),
  ...sharedMembers,
  statement: nullable(text),
  decisions: fc.array(decision, { maxLength: 3 }),
  contextValues: fc.constantFrom(...CONTEXT_VALUE_MODES),
  durationMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
  ext: nullable(fc.dictionary(text, json)) as fc.Arbitrary<UnhashedRecord['ext']>,
  prevHash: hex64,
});

describe('encodeRecord', () => {
  it('is the RFC 8785 canonical encoding of the record (equal to canonicalJson)', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(encodeRecord(r)).toBe(canonicalJson(r));
      }),
      { numRuns: 500 },
    );
  });

  it('escapes exactly as JSON.stringify on strings its quoting shortcut must not take', () => {
    const awkward = fc.constantFrom(
      '',
      'plain ascii ~ !',
      'quote " inside',
      'back\\slash',
      'tab\tnew\nline',
      '\u0000\u001f',
      'del \u007f',
      'é and 😀',
      'lone \ud800 surrogate',
      '\u2028\u2029',
      '</script>',
    );
    const awkwardDecision = decision.map((d) => ({ ...d, statement: '"\\' }));
    fc.assert(
      fc.property(record, awkward, awkward, awkwardDecision, (r, principal, statement, d) => {
        const edgy = { ...r, principal, statement, requestId: principal, decisions: [d] };
        expect(encodeRecord(edgy)).toBe(canonicalJson(edgy));
      }),
      { numRuns: 300 },
    );
  });

  it('writes numbers as JSON.stringify does (-0, exponents, fractions)', () => {
    const r = fc.sample(record, 1)[0];
    if (r === undefined) throw new Error('no sample');
    for (const durationMs of [0, -0, 0.1, 1e21, 1.5e-7, 123.456, 2 ** 53]) {
      const edgy = { ...r, durationMs, keyVersion: -0 };
      expect(encodeRecord(edgy)).toBe(canonicalJson(edgy));
    }
  });

  it('re-encodes to the same text once parsed back (what verification relies on)', () => {
    fc.assert(
      fc.property(record, (r) => {
        const text = encodeRecord(r);
        const back = parseAuditRecord({ ...(JSON.parse(text) as object), hash: r.prevHash });
        expect(encodeRecord(back)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('sorts members by UTF-16 code units, as JCS does', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'é' }, '\u{1F600}': 0, z: 0 })).toBe(
      '{"a":{"c":"é","d":[true,null]},"b":1,"z":0,"\u{1F600}":0}',
    );
  });
});

describe('chainEncoded', () => {
  const withContext = fc.dictionary(text, text, { maxKeys: 3 });
  const entry = fc.record({
    time: date,
    ...sharedMembers,
    decisions: fc.array(
      fc.record({
        action: text,
        keyId: nullable(text),
        resource: nullable(text),
        allowed: fc.boolean(),
        statement: text,
        // Mostly none, as most calls carry no context: both encodings are exercised.
        context: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, withContext),
      }),
      { maxLength: 3 },
    ),
    durationMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    ext: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      fc.dictionary(text, json) as fc.Arbitrary<CanonicalObject>,
    ),
  });

  it('stores each record as its canonical encoding, hashed and linked to the one before', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), (entries) => {
        const start = { seq: 7, hash: 'ab'.repeat(32) };
        const chained = chainEncoded(start, entries, { mode: 'clear' });
        let prev = start;
        for (const { record, text: stored } of chained) {
          const { hash, ...unhashed } = record;
          expect(stored).toBe(canonicalJson(unhashed));
          expect(hash).toBe(createHash('sha256').update(stored, 'utf8').digest('hex'));
          expect([record.seq, record.prevHash]).toEqual([prev.seq + 1, prev.hash]);
          prev = record;
        }
      }),
      { numRuns: 300 },
    );
  });
});
