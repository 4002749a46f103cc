/**
 * ECDSA signature encodings.
 *
 * Two encodings of the pair (r, s) are in use:
 * - ASN.1 DER `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3,
 *   SEC 1 §C.8), which OpenSSL, X.509 and AWS KMS produce;
 * - IEEE P1363 `r || s`, each left-padded to the byte length of the curve's order (RFC 7518
 *   §3.4, WebCrypto), which JOSE and fixed-width formats need.
 *
 * DER parsing is strict (X.690 §8.1, §8.3, §10.1): a signature has exactly one valid encoding,
 * so a verifier that accepted BER variants would make signatures malleable.
 */

import { Buffer } from 'node:buffer';

/** The NIST prime curves Custos signs with (FIPS 186-4 §D.1.2). */
export type NamedCurve = 'P-256' | 'P-384' | 'P-521';

const SEQUENCE_TAG = 0x30;
const INTEGER_TAG = 0x02;

/**
 * The width of r and s in the P1363 encoding: the byte length of the curve order n, which for
 * these curves equals the field element length (521 bits round up to 66 bytes).
 */
export function ecFieldBytes(curve: NamedCurve): number {
  switch (curve) {
    case 'P-256':
      return 32;
    case 'P-384':
      return 48;
    case 'P-521':
      return 66;
  }
}

/**
 * Converts a DER `SEQUENCE { r, s }` to `r || s`, each `fieldBytes` wide. Returns undefined for
 * anything that is not the unique DER encoding of two non-negative integers that fit in
 * `fieldBytes`: long-form lengths where short form fits, lengths that disagree with the data,
 * trailing bytes, negative or zero-padded integers. Range checks (0 < r, s < n) belong to the
 * verifier, which knows n.
 */
export function ecdsaDerToP1363(der: Uint8Array, fieldBytes: number): Buffer | undefined {
  assertFieldBytes(fieldBytes);
  const reader = new DerReader(der);
  const body = reader.readElement(SEQUENCE_TAG);
  if (body === undefined || !reader.atEnd()) return undefined;
  const inner = new DerReader(body);
  const r = inner.readElement(INTEGER_TAG);
  const s = inner.readElement(INTEGER_TAG);
  if (r === undefined || s === undefined || !inner.atEnd()) return undefined;
  const rFixed = unsignedIntegerToFixed(r, fieldBytes);
  const sFixed = unsignedIntegerToFixed(s, fieldBytes);
  if (rFixed === undefined || sFixed === undefined) return undefined;
  return Buffer.concat([rFixed, sFixed]);
}

/**
 * Converts `r || s` (two halves of equal width) to DER. Throws RangeError when the input is
 * empty or of odd length, since no curve width can be inferred from it.
 */
export function ecdsaP1363ToDer(p1363: Uint8Array): Buffer {
  if (p1363.length === 0 || p1363.length % 2 !== 0) {
    throw new RangeError('P1363 signature must be two halves of equal, non-zero length');
  }
  const half = p1363.length / 2;
  const r = encodeElement(INTEGER_TAG, minimalUnsigned(p1363.subarray(0, half)));
  const s = encodeElement(INTEGER_TAG, minimalUnsigned(p1363.subarray(half)));
  return encodeElement(SEQUENCE_TAG, Buffer.concat([r, s]));
}

function assertFieldBytes(fieldBytes: number): void {
  if (!Number.isSafeInteger(fieldBytes) || fieldBytes <= 0) {
    throw new RangeError('fieldBytes must be a positive integer');
  }
}

/** Sequential reader of DER tag-length-value elements over a byte string. */
class DerReader {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  atEnd(): boolean {
    return this.pos === this.bytes.length;
  }

  /** The contents of the next element if it has the expected tag and a valid DER length. */
  readElement(tag: number): Uint8Array | undefined {
    if (this.readByte() !== tag) return undefined;
    const length = this.readLength();
    if (length === undefined || length > this.bytes.length - this.pos) return undefined;
    const contents = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return contents;
  }

  private readByte(): number | undefined {
    if (this.pos >= this.bytes.length) return undefined;
    const value = this.bytes[this.pos];
    this.pos += 1;
    return value;
  }

  /**
   * X.690 §8.1.3 with the DER restriction of §10.1: short form for lengths below 128; otherwise
   * the fewest length octets, the first non-zero. Indefinite length (0x80) is not DER. Four
   * length octets are more than any ECDSA signature needs and keep the arithmetic exact.
   */
  private readLength(): number | undefined {
    const first = this.readByte();
    if (first === undefined || first === 0x80 || first > 0x84) return undefined;
    if (first < 0x80) return first;
    let length = 0;
    for (let i = 0; i < first - 0x80; i += 1) {
      const next = this.readByte();
      if (next === undefined || (i === 0 && next === 0)) return undefined;
      length = length * 256 + next;
    }
    return length < 0x80 ? undefined : length;
  }
}

/**
 * The contents of a DER INTEGER (X.690 §8.3) known to be non-negative, left-padded to `width`.
 * Rejects empty contents, negative values (top bit set) and non-minimal encodings (a leading
 * 0x00 not needed to clear the sign bit, §8.3.2).
 */
function unsignedIntegerToFixed(contents: Uint8Array, width: number): Buffer | undefined {
  const first = contents[0];
  if (first === undefined || first >= 0x80) return undefined;
  let magnitude = contents;
  if (first === 0 && contents.length > 1) {
    const second = contents[1];
    if (second === undefined || second < 0x80) return undefined;
    magnitude = contents.subarray(1);
  }
  if (magnitude.length > width) return undefined;
  const out = Buffer.alloc(width);
  out.set(magnitude, width - magnitude.length);
  return out;
}

/** Minimal two's-complement contents for an unsigned big-endian integer (X.690 §8.3.2). */
function minimalUnsigned(value: Uint8Array): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start += 1;
  const magnitude = value.subarray(start);
  const first = magnitude[0] ?? 0;
  return first >= 0x80 ? Buffer.concat([Buffer.of(0), magnitude]) : Buffer.from(magnitude);
}

function encodeElement(tag: number, contents: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(tag), encodeLength(contents.length), contents]);
}

/** DER length octets (X.690 §8.1.3, §10.1): short form below 128, else minimal long form. */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Buffer.from([0x80 + octets.length, ...octets]);
}
