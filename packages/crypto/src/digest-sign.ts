/**
 * Signing and verifying a precomputed digest (AWS KMS `MessageType=DIGEST`).
 *
 * node:crypto signs messages, not digests: `crypto.sign(null, digest, ecKey)` hashes the digest
 * again, and there is no digest entry point for RSA-PSS. So:
 * - RSA uses the raw RSA primitives node does expose (`privateEncrypt`/`publicDecrypt`), with
 *   the EMSA-PKCS1-v1_5 and EMSA-PSS encodings of RFC 8017 done here;
 * - ECDSA is computed here with BigInt arithmetic (FIPS 186-4 §6.4, SEC 1 §4.1), with the
 *   nonce derived deterministically per RFC 6979.
 *
 * Every signature is interoperable with `crypto.verify` over the original message, and
 * signatures made by `crypto.sign` verify here.
 */

import type { JsonWebKey, KeyObject } from 'node:crypto';
import {
  constants,
  createHash,
  createHmac,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Buffer } from 'node:buffer';
import { ecFieldBytes } from './signature-encoding.js';
import type { NamedCurve } from './signature-encoding.js';

export type DigestHash = 'SHA-256' | 'SHA-384' | 'SHA-512';

type NodeHash = 'sha256' | 'sha384' | 'sha512';

// ---------------------------------------------------------------------------------------------
// ECDSA
//
// SIDE CHANNELS: this code is NOT constant time. V8 BigInt arithmetic takes time that depends on
// operand values, and the point formulas branch on special cases (infinity, equal points). The
// signing path does what it cheaply can: deterministic nonces (no RNG failure can leak the key,
// RFC 6979 §1), a Montgomery ladder over a fixed number of bits whose operands are chosen by
// BigInt-mask swaps (the same add/double sequence for every scalar, no branch on its bits), and
// Fermat inversion rather than the data-dependent extended Euclid. That narrows, but does not
// close, timing leakage of the private scalar and nonce to a local attacker who can time many
// signatures. Secret scalars held in BigInts cannot be wiped after use either. Prefer
// crypto.sign over the message where the message is available.
// ---------------------------------------------------------------------------------------------

interface Curve {
  /** Field prime. */
  readonly p: bigint;
  /** Reduces any integer, negative included, into [0, p). */
  readonly fp: (x: bigint) => bigint;
  /** Curve coefficient b of y^2 = x^3 - 3x + b; a = -3 for all three curves. */
  readonly b: bigint;
  /** Prime order of the base point. */
  readonly n: bigint;
  readonly gx: bigint;
  readonly gy: bigint;
  /** Bit length of n (qlen in RFC 6979). */
  readonly nBits: number;
  /** Byte length of n and of field elements (rlen / 8 in RFC 6979; P1363 half width). */
  readonly bytes: number;
  /** The curve's natural hash; RFC 6979 uses it for digests not 32, 48 or 64 bytes long. */
  readonly hash: NodeHash;
}

/** A point in Jacobian coordinates (X/Z^2, Y/Z^3); Z = 0 is the point at infinity. */
interface Jacobian {
  readonly x: bigint;
  readonly y: bigint;
  readonly z: bigint;
}

interface Affine {
  readonly x: bigint;
  readonly y: bigint;
}

const INFINITY: Jacobian = { x: 1n, y: 1n, z: 0n };

const P256 = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const P384 =
  0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn;
/** The Mersenne prime 2^521 - 1. */
const P521 = (1n << 521n) - 1n;

/**
 * x mod 2^521 - 1 by folding: 2^521 = 1 (mod p), so the high part adds onto the low part.
 * Shifts and masks are about twice as fast as BigInt division at this size (FIPS 186-4 §D.2).
 */
function reduceP521(x: bigint): bigint {
  let r = x < 0n ? -x : x;
  while (r > P521) r = (r & P521) + (r >> 521n);
  if (r === P521) r = 0n;
  return x < 0n && r !== 0n ? P521 - r : r;
}

/** Parameters from FIPS 186-4 §D.1.2.3–D.1.2.5 (identical to SEC 2 secp256r1/384r1/521r1). */
const CURVES: Readonly<Record<NamedCurve, Curve>> = {
  'P-256': {
    p: P256,
    fp: (x) => mod(x, P256),
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    nBits: 256,
    bytes: ecFieldBytes('P-256'),
    hash: 'sha256',
  },
  'P-384': {
    p: P384,
    fp: (x) => mod(x, P384),
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    nBits: 384,
    bytes: ecFieldBytes('P-384'),
    hash: 'sha384',
  },
  'P-521': {
    p: P521,
    fp: reduceP521,
    b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n,
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    gx: 0x00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66n,
    gy: 0x011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650n,
    nBits: 521,
    bytes: ecFieldBytes('P-521'),
    hash: 'sha512',
  },
};

/**
 * ECDSA signature over a precomputed digest; the curve comes from the key (P-256, P-384, P-521).
 * Returns IEEE P1363 `r || s`, each half as wide as the curve order. Any digest length is
 * accepted: longer digests are truncated to the bit length of n (FIPS 186-4 §6.4), as OpenSSL
 * does. Deterministic: the same key and digest always give the same signature (RFC 6979).
 * Throws TypeError unless the key is a P-256, P-384 or P-521 private key.
 */
export function ecdsaSignDigest(privateKey: KeyObject, digest: Uint8Array): Buffer {
  const { curve, d } = ecPrivateScalar(privateKey);
  const { n } = curve;
  const e = bits2int(digest, curve.nBits) % n;
  const nextNonce = rfc6979Nonces(curve, d, digest);
  // RFC 6979 §3.4: a nonce that yields r = 0 or s = 0 is skipped for the next one. That has
  // probability about 1/n, but the loop keeps the function total.
  for (;;) {
    const k = nextNonce();
    const point = toAffine(curve, ladderMultiply(curve, k, { x: curve.gx, y: curve.gy, z: 1n }));
    if (point === undefined) continue;
    const r = point.x % n;
    if (r === 0n) continue;
    const s = (invertPrime(k, n) * ((e + r * d) % n)) % n;
    if (s === 0n) continue;
    return Buffer.concat([int2octets(r, curve.bytes), int2octets(s, curve.bytes)]);
  }
}

/**
 * Verifies an IEEE P1363 ECDSA signature over a precomputed digest (FIPS 186-4 §6.4.2, SEC 1
 * §4.1.4). Returns false, never throws, for any signature bytes that are not a valid signature:
 * wrong length, r or s outside [1, n-1], or a mismatch. Throws TypeError unless the key is a
 * P-256, P-384 or P-521 key (public, or private as with crypto.verify).
 */
export function ecdsaVerifyDigest(
  publicKey: KeyObject,
  digest: Uint8Array,
  signatureP1363: Uint8Array,
): boolean {
  const { curve, q } = ecPublicPoint(publicKey);
  const { n, bytes } = curve;
  if (signatureP1363.length !== 2 * bytes) return false;
  const r = octets2int(signatureP1363.subarray(0, bytes));
  const s = octets2int(signatureP1363.subarray(bytes));
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  const e = bits2int(digest, curve.nBits) % n;
  const w = invertPrime(s, n);
  const u1 = (e * w) % n;
  const u2 = (r * w) % n;
  const point = toAffine(curve, shamirMultiply(curve, u1, u2, q));
  if (point === undefined) return false;
  return point.x % n === r;
}

function curveOf(key: KeyObject): { curve: Curve; jwk: JsonWebKey } {
  if (key.asymmetricKeyType !== 'ec') throw new TypeError('expected an EC key');
  const jwk = key.export({ format: 'jwk' });
  const { crv } = jwk;
  if (crv !== 'P-256' && crv !== 'P-384' && crv !== 'P-521') {
    throw new TypeError('unsupported EC curve; expected P-256, P-384 or P-521');
  }
  return { curve: CURVES[crv], jwk };
}

function ecPrivateScalar(key: KeyObject): { curve: Curve; d: bigint } {
  if (key.type !== 'private') throw new TypeError('expected a private key');
  const { curve, jwk } = curveOf(key);
  const d = base64UrlToInt(jwk.d);
  // SEC 1 §3.2.1: a private key is an integer in [1, n-1]. node only builds such keys, but the
  // signing equation silently misbehaves for anything else, so check.
  if (d < 1n || d >= curve.n) throw new TypeError('EC private scalar out of range');
  return { curve, d };
}

function ecPublicPoint(key: KeyObject): { curve: Curve; q: Affine } {
  const { curve, jwk } = curveOf(key);
  const q = { x: base64UrlToInt(jwk.x), y: base64UrlToInt(jwk.y) };
  // SEC 1 §3.2.2.1 public key validation. node validates on import; this is defence in depth,
  // since with an off-curve point the verification equation proves nothing.
  if (!isOnCurve(curve, q)) throw new TypeError('EC public key is not on the curve');
  return { curve, q };
}

function isOnCurve(curve: Curve, { x, y }: Affine): boolean {
  const { p, b, fp } = curve;
  if (x < 0n || x >= p || y < 0n || y >= p) return false;
  return fp(y * y - (x * x * x - 3n * x + b)) === 0n;
}

function base64UrlToInt(value: string | undefined): bigint {
  if (value === undefined) throw new TypeError('EC key is missing a JWK component');
  return octets2int(Buffer.from(value, 'base64url'));
}

/**
 * RFC 6979 §3.2 nonce generation (HMAC_DRBG, NIST SP 800-90A). Returns a function yielding
 * successive candidates k in [1, n-1]; each call after the first performs the step h.3 reseed,
 * which is what §3.4 prescribes when a k is rejected by the signer.
 *
 * H is the hash the digest came from, recognised by length (32/48/64 bytes: SHA-256/384/512),
 * exactly as RFC 6979 §3.2 defines it, so results match the RFC's appendix A.2 vectors for any
 * of those hashes on any curve. Other lengths fall back to the curve's natural hash: k stays
 * deterministic and pseudorandom, though no published vector covers such a pairing.
 */
function rfc6979Nonces(curve: Curve, d: bigint, digest: Uint8Array): () => bigint {
  const hash = hmacHashFor(digest.length, curve);
  const hLen = createHash(hash).digest().length;
  const seed = Buffer.concat([
    int2octets(d, curve.bytes),
    int2octets(bits2int(digest, curve.nBits) % curve.n, curve.bytes), // bits2octets(h1), §2.3.4
  ]);
  let v: Buffer = Buffer.alloc(hLen, 0x01); // step b
  let k: Buffer = Buffer.alloc(hLen, 0x00); // step c
  k = hmac(hash, k, v, Buffer.of(0x00), seed); // step d
  v = hmac(hash, k, v); // step e
  k = hmac(hash, k, v, Buffer.of(0x01), seed); // step f
  v = hmac(hash, k, v); // step g
  let reseed = false;
  return () => {
    for (;;) {
      if (reseed) {
        k = hmac(hash, k, v, Buffer.of(0x00)); // step h.3
        v = hmac(hash, k, v);
      }
      reseed = true;
      // Step h.1–h.2: concatenate HMAC outputs until there are at least qlen bits.
      const blocks: Buffer[] = [];
      for (let bits = 0; bits < curve.nBits; bits += hLen * 8) {
        v = hmac(hash, k, v);
        blocks.push(v);
      }
      const candidate = bits2int(Buffer.concat(blocks), curve.nBits);
      if (candidate >= 1n && candidate < curve.n) return candidate;
    }
  };
}

function hmacHashFor(digestLength: number, curve: Curve): NodeHash {
  switch (digestLength) {
    case 32:
      return 'sha256';
    case 48:
      return 'sha384';
    case 64:
      return 'sha512';
    default:
      return curve.hash;
  }
}

function hmac(hash: NodeHash, key: Buffer, ...parts: Uint8Array[]): Buffer {
  const mac = createHmac(hash, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * bits2int (RFC 6979 §2.3.2; FIPS 186-4 §6.4 for the message representative): the leftmost
 * min(qlen, blen) bits of the string as a big-endian integer.
 */
function bits2int(bytes: Uint8Array, qlen: number): bigint {
  const value = octets2int(bytes);
  const blen = bytes.length * 8;
  return blen > qlen ? value >> BigInt(blen - qlen) : value;
}

function octets2int(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + Buffer.from(bytes).toString('hex'));
}

/** int2octets (RFC 6979 §2.3.3, SEC 1 §2.3.7): big-endian, left-padded to `length` bytes. */
function int2octets(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/**
 * a^-1 mod m for prime m by Fermat's little theorem (a^(m-2)), with `reduce` reducing mod m.
 * The exponent is public, so the square-and-multiply pattern does not depend on the (possibly
 * secret) base.
 */
function invertPrime(a: bigint, m: bigint, reduce = (x: bigint): bigint => mod(x, m)): bigint {
  let result = 1n;
  let base = reduce(a);
  for (let e = m - 2n; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = reduce(result * base);
    base = reduce(base * base);
  }
  return result;
}

/** Point doubling for a = -3 ("dbl-2001-b", Bernstein–Lange Explicit-Formulas Database). */
function double({ fp }: Curve, pt: Jacobian): Jacobian {
  if (pt.z === 0n || pt.y === 0n) return INFINITY;
  const delta = fp(pt.z * pt.z);
  const gamma = fp(pt.y * pt.y);
  const beta = fp(pt.x * gamma);
  const alpha = fp(3n * (pt.x - delta) * (pt.x + delta));
  const x = fp(alpha * alpha - 8n * beta);
  const z = fp((pt.y + pt.z) * (pt.y + pt.z) - gamma - delta);
  const y = fp(alpha * (4n * beta - x) - 8n * gamma * gamma);
  return { x, y, z };
}

/** Jacobian point addition ("add-1998-cmo-2"), complete by falling back to doubling. */
function add(curve: Curve, a: Jacobian, b: Jacobian): Jacobian {
  if (a.z === 0n) return b;
  if (b.z === 0n) return a;
  const { fp } = curve;
  const z1z1 = fp(a.z * a.z);
  const z2z2 = fp(b.z * b.z);
  const u1 = fp(a.x * z2z2);
  const u2 = fp(b.x * z1z1);
  const s1 = fp(fp(a.y * b.z) * z2z2);
  const s2 = fp(fp(b.y * a.z) * z1z1);
  const h = fp(u2 - u1);
  const r = fp(s2 - s1);
  if (h === 0n) return r === 0n ? double(curve, a) : INFINITY;
  const hh = fp(h * h);
  const hhh = fp(h * hh);
  const v = fp(u1 * hh);
  const x = fp(r * r - hhh - 2n * v);
  const y = fp(r * (v - x) - s1 * hhh);
  const z = fp(fp(a.z * b.z) * h);
  return { x, y, z };
}

function toAffine({ p, fp }: Curve, pt: Jacobian): Affine | undefined {
  if (pt.z === 0n) return undefined;
  const zInv = invertPrime(pt.z, p, fp);
  const zInv2 = fp(zInv * zInv);
  return { x: fp(pt.x * zInv2), y: fp(fp(pt.y * zInv2) * zInv) };
}

/**
 * k·P for secret k in [1, n-1] by a Montgomery ladder. The scalar is first replaced by k + n or
 * k + 2n, whichever has bit nBits set (the same multiple of P, since nP = O), so the ladder
 * always runs exactly nBits steps from (P, 2P) and never starts at infinity. Each step is the
 * same add-then-double, with the operands selected by a BigInt-mask swap rather than a branch.
 */
function ladderMultiply(curve: Curve, k: bigint, pt: Jacobian): Jacobian {
  const topBit = BigInt(curve.nBits);
  let scalar = k + curve.n;
  if (((scalar >> topBit) & 1n) === 0n) scalar += curve.n;
  let r0 = pt;
  let r1 = double(curve, pt);
  for (let i = curve.nBits - 1; i >= 0; i -= 1) {
    const mask = -((scalar >> BigInt(i)) & 1n); // 0n or -1n (all ones)
    [r0, r1] = conditionalSwap(r0, r1, mask);
    r1 = add(curve, r0, r1);
    r0 = double(curve, r0);
    [r0, r1] = conditionalSwap(r0, r1, mask);
  }
  return r0;
}

function conditionalSwap(a: Jacobian, b: Jacobian, mask: bigint): [Jacobian, Jacobian] {
  const tx = mask & (a.x ^ b.x);
  const ty = mask & (a.y ^ b.y);
  const tz = mask & (a.z ^ b.z);
  return [
    { x: a.x ^ tx, y: a.y ^ ty, z: a.z ^ tz },
    { x: b.x ^ tx, y: b.y ^ ty, z: b.z ^ tz },
  ];
}

/**
 * u1·G + u2·Q for public scalars (verification) by Shamir's simultaneous multiplication:
 * one doubling per bit and at most one addition from {G, Q, G+Q}.
 */
function shamirMultiply(curve: Curve, u1: bigint, u2: bigint, q: Affine): Jacobian {
  const g: Jacobian = { x: curve.gx, y: curve.gy, z: 1n };
  const qj: Jacobian = { x: q.x, y: q.y, z: 1n };
  const table = [INFINITY, g, qj, add(curve, g, qj)] as const;
  let acc = INFINITY;
  for (let i = curve.nBits - 1; i >= 0; i -= 1) {
    acc = double(curve, acc);
    const bit = BigInt(i);
    const index = Number((u1 >> bit) & 1n) | (Number((u2 >> bit) & 1n) << 1);
    acc = add(curve, acc, table[index] ?? INFINITY);
  }
  return acc;
}

// ---------------------------------------------------------------------------------------------
// RSA (RFC 8017)
// ---------------------------------------------------------------------------------------------

interface HashInfo {
  readonly node: NodeHash;
  readonly length: number;
  /** DER of DigestInfo up to the digest octets (RFC 8017 §9.2 note 1). */
  readonly digestInfoPrefix: Buffer;
}

const HASHES: Readonly<Record<DigestHash, HashInfo>> = {
  'SHA-256': {
    node: 'sha256',
    length: 32,
    digestInfoPrefix: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  },
  'SHA-384': {
    node: 'sha384',
    length: 48,
    digestInfoPrefix: Buffer.from('3041300d060960864801650304020205000430', 'hex'),
  },
  'SHA-512': {
    node: 'sha512',
    length: 64,
    digestInfoPrefix: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
  },
};

/**
 * RSA signature over a precomputed digest. 'pss': RSASSA-PSS (RFC 8017 §8.1) with MGF1 over the
 * same hash and a salt as long as the hash, as AWS KMS RSASSA_PSS_* does. 'pkcs1':
 * RSASSA-PKCS1-v1_5 (§8.2), deterministic and identical to crypto.sign's output. Throws
 * RangeError if the digest length does not match `hash` or the modulus is too small for the
 * encoding, TypeError unless the key is an RSA private key.
 */
export function rsaSignDigest(
  privateKey: KeyObject,
  hash: DigestHash,
  digest: Uint8Array,
  padding: 'pss' | 'pkcs1',
): Buffer {
  const info = hashInfo(hash, digest);
  if (privateKey.type !== 'private') throw new TypeError('expected a private key');
  const modBits = rsaModulusBits(privateKey);
  const k = Math.ceil(modBits / 8);
  const em =
    padding === 'pkcs1'
      ? emsaPkcs1v15Encode(info, digest, k)
      : emsaPssEncode(info, digest, modBits - 1);
  if (em === undefined) throw new RangeError('RSA modulus too small for this hash and padding');
  // RSASP1 on the encoded message, left-padded to k bytes (only PSS with modBits = 1 mod 8
  // produces an EM one byte shorter than the modulus). OpenSSL applies blinding.
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, leftPad(em, k));
}

/**
 * Verifies an RSA signature over a precomputed digest with the parameters `rsaSignDigest`
 * uses. Returns false, never throws, for any signature bytes that are not a valid signature.
 * Throws RangeError if the digest length does not match `hash`, TypeError for a non-RSA key.
 */
export function rsaVerifyDigest(
  publicKey: KeyObject,
  hash: DigestHash,
  digest: Uint8Array,
  signature: Uint8Array,
  padding: 'pss' | 'pkcs1',
): boolean {
  const info = hashInfo(hash, digest);
  const modBits = rsaModulusBits(publicKey);
  const k = Math.ceil(modBits / 8);
  const m = rsaPublicPrimitive(publicKey, signature, k);
  if (m === undefined) return false;
  if (padding === 'pkcs1') {
    // §8.2.2 step 3–4: encode the expected EM and compare, rather than parse the recovered one
    // (parsing DigestInfo is the classic source of PKCS#1 v1.5 forgeries).
    const expected = emsaPkcs1v15Encode(info, digest, k);
    return expected !== undefined && timingSafeEqual(m, expected);
  }
  // §8.1.2 step 2c: I2OSP(m, emLen); when emLen = k - 1 the top octet must be zero.
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (m.subarray(0, k - emLen).some((octet) => octet !== 0)) return false;
  return emsaPssVerify(info, digest, m.subarray(k - emLen), emBits);
}

function hashInfo(hash: DigestHash, digest: Uint8Array): HashInfo {
  const info = HASHES[hash];
  if (digest.length !== info.length) {
    throw new RangeError(`digest length must be ${info.length} bytes for ${hash}`);
  }
  return info;
}

function rsaModulusBits(key: KeyObject): number {
  if (key.asymmetricKeyType !== 'rsa') throw new TypeError('expected an RSA key');
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits === undefined) throw new TypeError('RSA key has no modulus length');
  return bits;
}

/**
 * RSAVP1 (§5.2.2) with the §8.1.2/§8.2.2 step 1 length check. OpenSSL rejects a representative
 * not less than n; that, and any other failure, is an invalid signature.
 */
function rsaPublicPrimitive(key: KeyObject, signature: Uint8Array, k: number): Buffer | undefined {
  if (signature.length !== k) return undefined;
  try {
    const m = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
    return m.length === k ? m : undefined;
  } catch {
    return undefined;
  }
}

/** EMSA-PKCS1-v1_5 (§9.2): 0x00 0x01 PS(0xff...) 0x00 DigestInfo; undefined if k is too small. */
function emsaPkcs1v15Encode(info: HashInfo, digest: Uint8Array, k: number): Buffer | undefined {
  const t = Buffer.concat([info.digestInfoPrefix, digest]);
  if (k < t.length + 11) return undefined;
  const em = Buffer.alloc(k, 0xff);
  em.writeUInt8(0x00, 0);
  em.writeUInt8(0x01, 1);
  em.writeUInt8(0x00, k - t.length - 1);
  t.copy(em, k - t.length);
  return em;
}

/** EMSA-PSS-ENCODE (§9.1.1) with sLen = hLen; undefined if emLen is too small (step 3). */
function emsaPssEncode(info: HashInfo, mHash: Uint8Array, emBits: number): Buffer | undefined {
  const hLen = info.length;
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + sLen + 2) return undefined;
  const salt = randomBytes(sLen);
  const h = pssHash(info, mHash, salt); // steps 5–6
  const db = Buffer.alloc(emLen - hLen - 1); // steps 7–8: PS || 0x01 || salt
  db.writeUInt8(0x01, emLen - sLen - hLen - 2);
  salt.copy(db, db.length - sLen);
  const maskedDb = xor(db, mgf1(info.node, h, db.length)); // steps 9–10
  clearTopBits(maskedDb, 8 * emLen - emBits); // step 11
  return Buffer.concat([maskedDb, h, Buffer.of(0xbc)]); // step 12
}

/** EMSA-PSS-VERIFY (§9.1.2) with sLen = hLen. */
function emsaPssVerify(info: HashInfo, mHash: Uint8Array, em: Buffer, emBits: number): boolean {
  const hLen = info.length;
  const sLen = hLen;
  const emLen = em.length;
  if (emLen < hLen + sLen + 2) return false; // step 3
  if (em.readUInt8(emLen - 1) !== 0xbc) return false; // step 4
  const maskedDb = em.subarray(0, emLen - hLen - 1); // step 5
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const unusedBits = 8 * emLen - emBits;
  if (maskedDb.readUInt8(0) >> (8 - unusedBits) !== 0) return false; // step 6
  const db = xor(maskedDb, mgf1(info.node, h, maskedDb.length)); // steps 7–8
  clearTopBits(db, unusedBits); // step 9
  const psLen = emLen - hLen - sLen - 2; // step 10: PS must be zeros, then 0x01
  if (db.subarray(0, psLen).some((octet) => octet !== 0)) return false;
  if (db.readUInt8(psLen) !== 0x01) return false;
  const salt = db.subarray(db.length - sLen); // step 11
  return timingSafeEqual(h, pssHash(info, mHash, salt)); // steps 12–14
}

/** H = Hash(M') with M' = (0x)00 00 00 00 00 00 00 00 || mHash || salt (§9.1.1 steps 5–6). */
function pssHash(info: HashInfo, mHash: Uint8Array, salt: Uint8Array): Buffer {
  return createHash(info.node).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
}

/** MGF1 (§B.2.1): Hash(seed || C) for C = 0, 1, … as 4-octet counters, truncated. */
function mgf1(hash: NodeHash, seed: Uint8Array, maskLen: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let produced = 0, c = 0; produced < maskLen; c += 1) {
    counter.writeUInt32BE(c);
    const block = createHash(hash).update(seed).update(counter).digest();
    blocks.push(block);
    produced += block.length;
  }
  return Buffer.concat(blocks).subarray(0, maskLen);
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i += 1) out.writeUInt8(a.readUInt8(i) ^ b.readUInt8(i), i);
  return out;
}

/** Zeroes the leftmost `bits` (0–7) bits of the first octet. */
function clearTopBits(buf: Buffer, bits: number): void {
  buf.writeUInt8(buf.readUInt8(0) & (0xff >> bits), 0);
}

function leftPad(bytes: Buffer, length: number): Buffer {
  if (bytes.length >= length) return bytes;
  return Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}
