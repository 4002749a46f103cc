import { randomBytesOf, SecretBytes } from '@custos/crypto';
import { InvalidInputError, needs, SealedError } from '../core/errors.js';
import { unwrapDomainKey, wrapDomainKey } from './domain-key-wrap.js';
import {
  checkScryptParams,
  decodeBlob,
  DEFAULT_SCRYPT,
  deriveKek,
  encodeHeader,
  SALT_LENGTH,
} from './scrypt-blob.js';
import type { ScryptParams } from './scrypt-blob.js';
import type { Seal, SealDescription } from './seal.js';

export interface PassphraseSealOptions {
  /** scrypt cost for new wraps: a power of two from 2^17 (the default) to 2^22. */
  readonly N?: number;
}

/**
 * A root of trust an operator types in: the domain key is wrapped under a KEK
 * derived with scrypt from the passphrase and a fresh salt. The blob carries
 * its own parameters (see scrypt-blob.ts), so raising N later still unwraps
 * older blobs.
 *
 * @example
 * const seal = new PassphraseSeal(SecretBytes.copyOf(Buffer.from(input)));
 * try {
 *   const domainKey = await seal.unwrap(storedBlob);
 * } finally {
 *   seal.zero();
 * }
 */
export class PassphraseSeal implements Seal {
  readonly type = 'passphrase' as const;
  readonly #passphrase: SecretBytes;
  readonly #params: ScryptParams;

  /** Keeps its own copy of `passphrase` (UTF-8 for a string); the caller zeroes theirs. */
  constructor(passphrase: SecretBytes | string, options: PassphraseSealOptions = {}) {
    needs(passphrase.length > 0, () => new InvalidInputError('the passphrase must not be empty'));
    this.#params = { ...DEFAULT_SCRYPT, N: options.N ?? DEFAULT_SCRYPT.N };
    checkScryptParams(this.#params);
    this.#passphrase =
      typeof passphrase === 'string'
        ? SecretBytes.adopt(Buffer.from(passphrase, 'utf8'))
        : passphrase.clone();
  }

  async wrap(domainKey: SecretBytes): Promise<Buffer> {
    const header = encodeHeader(this.#params, randomBytesOf(SALT_LENGTH));
    const kek = await deriveKek(this.#secret(), header.subarray(4), this.#params);
    try {
      return Buffer.concat([header, wrapDomainKey(kek, domainKey, header)]);
    } finally {
      kek.fill(0);
    }
  }

  /** Derives with the parameters stored in `wrapped`, not this instance's, after bounding them. */
  async unwrap(wrapped: Buffer): Promise<SecretBytes> {
    const { header, params, salt, sealed } = decodeBlob(wrapped);
    const kek = await deriveKek(this.#secret(), salt, params);
    try {
      return unwrapDomainKey(kek, sealed, header);
    } finally {
      kek.fill(0);
    }
  }

  describe(): SealDescription {
    const { N, r, p } = this.#params;
    return { type: this.type, details: { kdf: 'scrypt', N, r, p } };
  }

  /** Zeroizes this seal's copy of the passphrase; the seal is unusable afterwards. */
  zero(): void {
    this.#passphrase.zero();
  }

  #secret(): Buffer {
    if (this.#passphrase.isZeroed) throw new SealedError('the passphrase seal was zeroized');
    return this.#passphrase.bytes;
  }
}
