import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from './constant-time.js';
import { CryptoError } from './errors.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Key material or plaintext that must not outlive its use. The holder owns the
 * buffer: `zero()` overwrites it, and serialisation or inspection never shows it.
 *
 * @example
 * const dek = SecretBytes.random(32);
 * try { use(dek.bytes) } finally { dek.zero() }
 */
export class SecretBytes {
  #buffer: Buffer;
  #zeroed = false;

  private constructor(buffer: Buffer) {
    this.#buffer = buffer;
  }

  /** Fresh random bytes from the system CSPRNG. */
  static random(length: number): SecretBytes {
    return new SecretBytes(randomBytes(length));
  }

  /** Takes ownership of `buffer`: it will be zeroed with this holder. */
  static adopt(buffer: Buffer): SecretBytes {
    return new SecretBytes(buffer);
  }

  /** Copies `bytes`; the caller keeps (and should zero) its own copy. */
  static copyOf(bytes: Uint8Array): SecretBytes {
    return new SecretBytes(Buffer.from(bytes));
  }

  get bytes(): Buffer {
    if (this.#zeroed) throw new CryptoError('ZEROIZED', 'secret was zeroized');
    return this.#buffer;
  }

  get length(): number {
    return this.#buffer.length;
  }

  get isZeroed(): boolean {
    return this.#zeroed;
  }

  /** A new holder with its own copy of the bytes. */
  clone(): SecretBytes {
    return SecretBytes.copyOf(this.bytes);
  }

  equals(other: SecretBytes): boolean {
    return constantTimeEqual(this.bytes, other.bytes);
  }

  zero(): void {
    this.#buffer.fill(0);
    this.#zeroed = true;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return `SecretBytes(${this.#buffer.length})`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** Zeroes every buffer given, ignoring undefined. */
export function zeroize(...buffers: (Uint8Array | undefined)[]): void {
  for (const buffer of buffers) buffer?.fill(0);
}
