import { aeadOpen, aeadSeal, constantTimeEqual, hmac, SecretBytes } from '@custos/crypto';
import {
  InternalError,
  InvalidInputError,
  InvalidStateError,
  needs,
  SealedError,
} from '../core/errors.js';
import { DOMAIN_KEY_LENGTH } from './domain-key-wrap.js';
import { DOMAIN_KEY_ID_LABEL, secretAad, versionAad } from './keyring-aad.js';
import type { Seal } from './seal.js';
import { VersionCache } from './version-cache.js';

export interface KeyringOptions {
  /** How many unwrapped key versions stay in memory; default 10 000. */
  readonly cacheSize?: number;
}

/**
 * The in-memory holder of the domain key and of unwrapped key versions. While
 * sealed it holds no key material, and every method but initialize/unseal
 * throws SealedError.
 *
 * @example
 * const keyring = new Keyring();
 * await keyring.unseal(seal, storedDomainKey);
 * const wrapped = keyring.wrapVersion(key.id, 1, material);
 * keyring.withVersion(key.id, 1, wrapped, (m) => encryptWith(m, plaintext));
 * keyring.seal();
 */
export class Keyring {
  #domainKey: SecretBytes | undefined;
  #domainKeyId = '';
  readonly #cache: VersionCache;

  constructor(options: KeyringOptions = {}) {
    const cacheSize = options.cacheSize ?? 10_000;
    needs(
      Number.isSafeInteger(cacheSize) && cacheSize >= 1,
      () => new InvalidInputError('cacheSize must be a positive integer'),
    );
    this.#cache = new VersionCache(cacheSize);
  }

  get sealed(): boolean {
    return this.#domainKey === undefined;
  }

  /**
   * A new random domain key, wrapped by `seal` for the store. Leaves the keyring unsealed.
   *
   * @example
   * await store.putDomainKey(await keyring.initialize(seal));
   */
  async initialize(seal: Seal): Promise<Buffer> {
    needs(this.sealed, () => new InvalidStateError('the keyring is already unsealed'));
    const domainKey = SecretBytes.random(DOMAIN_KEY_LENGTH);
    try {
      const wrapped = await seal.wrap(domainKey);
      // A blob that does not unwrap would lose every key: prove it before it is stored.
      const check = await seal.unwrap(wrapped);
      const same = constantTimeEqual(check.bytes, domainKey.bytes);
      check.zero();
      needs(same, () => new InternalError(`the ${seal.type} seal did not round-trip`));
      this.#install(domainKey);
      return wrapped;
    } catch (error) {
      domainKey.zero();
      throw error;
    }
  }

  /**
   * Unwraps the stored domain key with `seal`; throws InvalidInputError on a wrong root of trust.
   *
   * @example
   * await keyring.unseal(new PassphraseSeal(passphrase), storedDomainKey);
   */
  async unseal(seal: Seal, wrappedDomainKey: Buffer): Promise<void> {
    needs(this.sealed, () => new InvalidStateError('the keyring is already unsealed'));
    const domainKey = await seal.unwrap(wrappedDomainKey);
    try {
      needs(
        domainKey.length === DOMAIN_KEY_LENGTH,
        () => new InternalError('the unsealed domain key has the wrong length'),
      );
      this.#install(domainKey);
    } catch (error) {
      domainKey.zero();
      throw error;
    }
  }

  /**
   * Zeroizes the domain key and every cached version; later calls throw SealedError.
   *
   * @example
   * process.once('SIGTERM', () => keyring.seal());
   */
  seal(): void {
    this.#cache.clear();
    this.#domainKey?.zero();
    this.#domainKey = undefined;
    this.#domainKeyId = '';
  }

  /**
   * A stable, non-secret identifier of the domain key: the first 16 bytes of
   * HMAC-SHA256(domainKey, 'custos:domain-key-id'), in hex.
   *
   * @example
   * log.info({ domainKeyId: keyring.domainKeyId() }, 'unsealed');
   */
  domainKeyId(): string {
    this.#key();
    return this.#domainKeyId;
  }

  /**
   * Wraps version material under the domain key, AAD = 'custos:key-version:v1:' + keyId + ':' + version.
   *
   * @example
   * const wrappedMaterial = keyring.wrapVersion(keyId, 2, material);
   */
  wrapVersion(keyId: string, version: number, material: Uint8Array): Buffer {
    return aeadSeal(this.#key(), material, versionAad(keyId, version));
  }

  /**
   * Runs `use` with the version's unwrapped material, from the LRU cache or by unwrapping `wrapped`
   * (then caching it). `use` must be synchronous and must not keep or zero the buffer: the cache owns it.
   *
   * @example
   * const mac = keyring.withVersion(keyId, v, wrapped, (m) => hmac('SHA-256', m, message));
   */
  withVersion<T>(keyId: string, version: number, wrapped: Buffer, use: (material: Buffer) => T): T {
    const domainKey = this.#key();
    // The AAD is built only on a miss: a hit (every warm encrypt) needs none.
    const load = (): Buffer => {
      const aad = versionAad(keyId, version);
      try {
        return aeadOpen(domainKey, wrapped, aad);
      } catch {
        // Says which version, never anything about its bytes.
        throw new InternalError('stored key material failed its integrity check', {
          details: { keyId, version },
        });
      }
    };
    return this.#cache.use(`${keyId}:${version}`, load, use);
  }

  /**
   * Drops (and zeroizes) cached versions of a key, e.g. when it is destroyed or a version is disabled.
   *
   * @example
   * keyring.forgetKey(keyId);
   */
  forgetKey(keyId: string): void {
    this.#key();
    this.#cache.forget(keyId);
  }

  /**
   * Wraps other secrets (import wrapping keys, access-key secrets, backups) under the domain key,
   * AAD = 'custos:secret:v1:' + purpose.
   *
   * @example
   * const stored = keyring.wrapSecret('access-key:' + accessKeyId, secret);
   */
  wrapSecret(purpose: string, secret: Uint8Array): Buffer {
    return aeadSeal(this.#key(), secret, secretAad(purpose));
  }

  /**
   * Unwraps a `wrapSecret` blob made for the same purpose; the result is the caller's to zero.
   *
   * @example
   * const secret = keyring.unwrapSecret('access-key:' + accessKeyId, stored);
   * try { verify(secret.bytes) } finally { secret.zero() }
   */
  unwrapSecret(purpose: string, wrapped: Buffer): SecretBytes {
    const domainKey = this.#key();
    const aad = secretAad(purpose);
    try {
      return SecretBytes.adopt(aeadOpen(domainKey, wrapped, aad));
    } catch {
      throw new InternalError('stored secret failed its integrity check', { details: { purpose } });
    }
  }

  #install(domainKey: SecretBytes): void {
    // Two unseals may race across the await; the loser must not replace the winner's key.
    needs(this.sealed, () => new InvalidStateError('the keyring is already unsealed'));
    this.#domainKey = domainKey;
    this.#domainKeyId = hmac('SHA-256', domainKey.bytes, DOMAIN_KEY_ID_LABEL)
      .subarray(0, 16)
      .toString('hex');
  }

  #key(): Buffer {
    if (this.#domainKey === undefined) throw new SealedError('the keyring is sealed');
    return this.#domainKey.bytes;
  }
}
