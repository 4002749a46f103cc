/**
 * Properties of the CLI envelope codec (src/cli/envelope, docs/formats.md "CLI envelope
 * format"): round trips at every size, and a clear INVALID_CIPHERTEXT for every kind of damage.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { aesGcmEncrypt } from '@custos/crypto';
import {
  FIXED_HEADER_LENGTH,
  TAG_LENGTH,
  chunkAad,
  chunkNonce,
  encodeHeader,
} from '../../src/cli/envelope/format.js';
import { issuedKeys, newDataKey, open, openOutcome, seal } from './envelope-helpers.js';

const RUNS = 150;
const WRAPPED_KEY_LENGTH = 82; // v1 ciphertext of a 32-byte data key
const HEADER_LENGTH = FIXED_HEADER_LENGTH + WRAPPED_KEY_LENGTH;

const chunkSizeArb = fc.integer({ min: 1, max: 48 });
const pieceSizesArb = fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 });
const contextArb = fc.option(
  fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), {
    maxKeys: 3,
  }),
  { nil: undefined },
);
/** Inputs of any size, biased towards exact multiples of the chunk size (and 0). */
const caseArb = chunkSizeArb.chain((chunkSize) =>
  fc.record({
    chunkSize: fc.constant(chunkSize),
    data: fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc
        .integer({ min: 0, max: 8 })
        .chain((k) => fc.uint8Array({ minLength: k * chunkSize, maxLength: k * chunkSize })),
    ),
    context: contextArb,
    pieceSizes: pieceSizesArb,
  }),
);

function chunkCount(length: number, chunkSize: number): number {
  return Math.floor(length / chunkSize) + 1;
}

describe('CLI envelope codec', () => {
  it('round-trips any input, chunk size and stream split', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ chunkSize, data, context, pieceSizes }) => {
        const envelope = await seal(data, { chunkSize, context, pieceSizes });
        const n = chunkCount(data.length, chunkSize);
        expect(envelope.length).toBe(HEADER_LENGTH + data.length + n * TAG_LENGTH);
        expect(await open(envelope, context, pieceSizes)).toEqual(Buffer.from(data));
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips the empty input and exact chunk multiples at the default chunk size', async () => {
    for (const length of [0, 1, 65535, 65536, 65537, 3 * 65536]) {
      const data = Buffer.alloc(length, 7);
      const envelope = await seal(data, { chunkSize: 65536 });
      expect(envelope.length).toBe(HEADER_LENGTH + length + chunkCount(length, 65536) * 16);
      expect((await open(envelope)).equals(data)).toBe(true);
    }
  });

  it('fails with INVALID_CIPHERTEXT on any single bit flip', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.nat(), fc.integer({ min: 0, max: 7 }), async (c, at, bit) => {
        const envelope = await seal(c.data, c);
        const flipped = Buffer.from(envelope);
        const index = at % flipped.length;
        flipped[index] = flipped[index]! ^ (1 << bit);
        expect(await openOutcome(flipped, c.context)).toMatch(/^INVALID_CIPHERTEXT/);
      }),
      { numRuns: RUNS },
    );
  });

  it('fails with INVALID_CIPHERTEXT on any truncation or extension', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseArb,
        fc.nat(),
        fc.uint8Array({ minLength: 1, maxLength: 60 }),
        async (c, cut, extra) => {
          const envelope = await seal(c.data, c);
          const truncated = envelope.subarray(0, cut % envelope.length);
          expect(await openOutcome(truncated, c.context)).toMatch(/^INVALID_CIPHERTEXT/);
          const extended = Buffer.concat([envelope, extra]);
          expect(await openOutcome(extended, c.context)).toMatch(/^INVALID_CIPHERTEXT/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('detects a missing final chunk cut exactly at a chunk boundary', async () => {
    const envelope = await seal(Buffer.alloc(40, 1), { chunkSize: 10 });
    const withoutFinal = envelope.subarray(0, envelope.length - TAG_LENGTH);
    expect(await openOutcome(withoutFinal)).toBe('INVALID_CIPHERTEXT:TRUNCATED');
    const withoutLastTwo = envelope.subarray(0, envelope.length - TAG_LENGTH - 26);
    expect(await openOutcome(withoutLastTwo)).toBe('INVALID_CIPHERTEXT:TRUNCATED');
  });

  it('fails on swapped, duplicated or dropped chunks', async () => {
    const chunkArb = fc.record({
      chunkSize: chunkSizeArb,
      fullChunks: fc.integer({ min: 2, max: 6 }),
      tail: fc.nat(),
      i: fc.nat(),
      j: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(chunkArb, async ({ chunkSize, fullChunks, tail, i, j }) => {
        const length = fullChunks * chunkSize + (tail % chunkSize);
        const data = Buffer.from(Array.from({ length }, (_, k) => k % 251));
        const envelope = await seal(data, { chunkSize });
        const header = envelope.subarray(0, HEADER_LENGTH);
        const frame = chunkSize + TAG_LENGTH;
        const frames: Buffer[] = [];
        for (let k = 0; k < fullChunks; k++) {
          frames.push(
            envelope.subarray(HEADER_LENGTH + k * frame, HEADER_LENGTH + (k + 1) * frame),
          );
        }
        const last = envelope.subarray(HEADER_LENGTH + fullChunks * frame);
        const a = i % fullChunks;
        const b = (a + 1 + (j % (fullChunks - 1))) % fullChunks;
        const swapped = [...frames];
        [swapped[a], swapped[b]] = [frames[b]!, frames[a]!];
        const duplicated = [...frames.slice(0, a + 1), frames[a]!, ...frames.slice(a + 1)];
        const dropped = frames.filter((_, k) => k !== a);
        for (const body of [swapped, duplicated, dropped]) {
          const outcome = await openOutcome(Buffer.concat([header, ...body, last]));
          expect(outcome).toBe('INVALID_CIPHERTEXT:CHUNK_AUTHENTICATION');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('authenticates the final flag: a last chunk sealed as non-final is refused', async () => {
    const { dataKey, wrappedKey } = await newDataKey(undefined);
    const header = encodeHeader({
      chunkSize: 8,
      nonceBase: randomBytes(12),
      context: undefined,
      wrappedKey,
    });
    const frame = (index: number, data: Buffer, final: boolean) => {
      const sealed = aesGcmEncrypt(
        dataKey.bytes,
        chunkNonce(header.nonceBase, index),
        data,
        chunkAad(header, index, final),
      );
      return Buffer.concat([sealed.ciphertext, sealed.tag]);
    };
    const full = frame(0, Buffer.alloc(8, 1), false);
    const good = Buffer.concat([header.bytes, full, frame(1, Buffer.from('abc'), true)]);
    expect(await openOutcome(good)).toBe('OK');
    const unmarked = Buffer.concat([header.bytes, full, frame(1, Buffer.from('abc'), false)]);
    expect(await openOutcome(unmarked)).toBe('INVALID_CIPHERTEXT:CHUNK_AUTHENTICATION');
    const misplaced = Buffer.concat([header.bytes, full, frame(0, Buffer.from('abc'), true)]);
    expect(await openOutcome(misplaced)).toBe('INVALID_CIPHERTEXT:CHUNK_AUTHENTICATION');
    dataKey.zero();
  });

  it('refuses another encryption context before asking for the data key', async () => {
    const envelope = await seal(Buffer.from('data'), { chunkSize: 8, context: { tenant: 'a' } });
    expect(await openOutcome(envelope, { tenant: 'b' })).toBe(
      'INVALID_CIPHERTEXT:CONTEXT_MISMATCH',
    );
    expect(await openOutcome(envelope)).toBe('INVALID_CIPHERTEXT:CONTEXT_MISMATCH');
    expect(await openOutcome(envelope, { tenant: 'a' })).toBe('OK');
  });

  it('names what is wrong with a header', async () => {
    const envelope = await seal(Buffer.from('data'), { chunkSize: 8 });
    expect(await openOutcome(Buffer.from('plain text'))).toBe('INVALID_CIPHERTEXT:NOT_AN_ENVELOPE');
    expect(await openOutcome(Buffer.alloc(0))).toBe('INVALID_CIPHERTEXT:NOT_AN_ENVELOPE');
    const v2 = Buffer.from(envelope);
    v2[4] = 2;
    expect(await openOutcome(v2)).toBe('INVALID_CIPHERTEXT:UNSUPPORTED_VERSION');
    const hugeChunks = Buffer.from(envelope);
    hugeChunks.writeUInt32BE(0xffffffff, 6);
    expect(await openOutcome(hugeChunks)).toBe('INVALID_CIPHERTEXT:MALFORMED_HEADER');
    expect(await openOutcome(envelope.subarray(0, 30))).toBe('INVALID_CIPHERTEXT:TRUNCATED');
    expect(await openOutcome(envelope.subarray(0, 100))).toBe('INVALID_CIPHERTEXT:TRUNCATED');
  });

  it('zeroes every data key after use, on success and on failure', async () => {
    issuedKeys.length = 0;
    const envelope = await seal(Buffer.alloc(100, 3), { chunkSize: 16 });
    await open(envelope);
    const tampered = Buffer.from(envelope);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
    expect(await openOutcome(tampered)).toBe('INVALID_CIPHERTEXT:CHUNK_AUTHENTICATION');
    expect(issuedKeys.length).toBe(3);
    expect(issuedKeys.every((key) => key.isZeroed)).toBe(true);
  });
});
