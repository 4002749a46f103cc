import { open, rm } from 'node:fs/promises';
import { SecretBytes } from '@custos/crypto';
import type { FileHandle } from 'node:fs/promises';
import {
  AlreadyExistsError,
  InvalidInputError,
  NotFoundError,
  SealedError,
} from '../core/errors.js';
import { DOMAIN_KEY_LENGTH, unwrapDomainKey, wrapDomainKey } from './domain-key-wrap.js';
import type { Seal, SealDescription } from './seal.js';

const FILE_MODE = 0o600;
/** Any group or other permission bit: a key readable by others protects nothing. */
const SHARED_BITS = 0o077;

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** Runs synchronous work behind the async Seal interface, so that throws become rejections. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(work());
  });
}

/**
 * The development root of trust: a 32-byte AES key in a 0600 file that wraps
 * the domain key (AES-256-GCM, AAD 'custos:domain-key:v1'). Anyone who can read
 * the file can unseal, so it only suits a single machine you already trust.
 *
 * @example
 * const seal = await DevFileSeal.create('./custos-data/root.key');
 * const wrapped = await seal.wrap(domainKey);
 * seal.close();
 */
export class DevFileSeal implements Seal {
  readonly type = 'dev-file' as const;
  #fileKey: SecretBytes;

  private constructor(
    readonly path: string,
    fileKey: SecretBytes,
  ) {
    this.#fileKey = fileKey;
  }

  /** Writes a fresh random root key file; refuses to overwrite an existing one. */
  static async create(path: string): Promise<DevFileSeal> {
    const fileKey = SecretBytes.random(DOMAIN_KEY_LENGTH);
    let handle: FileHandle;
    try {
      // O_EXCL: never replace a key that may still wrap a domain key.
      handle = await open(path, 'wx', FILE_MODE);
    } catch (error) {
      fileKey.zero();
      if (errorCode(error) === 'EEXIST') {
        throw new AlreadyExistsError(`root key file ${path} already exists`, { details: { path } });
      }
      throw error;
    }
    try {
      // Exactly 0600 whatever the process umask, so that open() accepts it later.
      await handle.chmod(FILE_MODE);
      await handle.writeFile(fileKey.bytes);
      await handle.sync();
    } catch (error) {
      fileKey.zero();
      await handle.close();
      // A partial file would block the next create() (O_EXCL) and fail open() anyway.
      await rm(path, { force: true });
      throw error;
    }
    await handle.close();
    return new DevFileSeal(path, fileKey);
  }

  /** Reads an existing root key file, refusing one that others may read or that is malformed. */
  static async open(path: string): Promise<DevFileSeal> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') {
        throw new NotFoundError(`root key file ${path} does not exist`, { details: { path } });
      }
      throw error;
    }
    try {
      // fstat on the open handle: the checks apply to the very file we read.
      const stat = await handle.stat();
      const mode = `0${(stat.mode & 0o777).toString(8)}`;
      if (!stat.isFile()) {
        throw new InvalidInputError(`root key file ${path} is not a regular file`, {
          details: { path },
        });
      }
      if ((stat.mode & SHARED_BITS) !== 0) {
        throw new InvalidInputError(
          `root key file ${path} has mode ${mode}, which grants group/other access; ` +
            `run chmod 600 ${path}`,
          { details: { path, mode } },
        );
      }
      if (stat.size !== DOMAIN_KEY_LENGTH) {
        throw new InvalidInputError(
          `root key file ${path} must hold exactly ${DOMAIN_KEY_LENGTH} bytes, found ${stat.size}`,
          { details: { path, size: stat.size } },
        );
      }
      const buffer = Buffer.alloc(DOMAIN_KEY_LENGTH);
      const { bytesRead } = await handle.read(buffer, 0, DOMAIN_KEY_LENGTH, 0);
      if (bytesRead !== DOMAIN_KEY_LENGTH) {
        buffer.fill(0);
        throw new InvalidInputError(`root key file ${path} was truncated while reading`, {
          details: { path },
        });
      }
      return new DevFileSeal(path, SecretBytes.adopt(buffer));
    } finally {
      await handle.close();
    }
  }

  wrap(domainKey: SecretBytes): Promise<Buffer> {
    return settle(() => wrapDomainKey(this.#key(), domainKey));
  }

  unwrap(wrapped: Buffer): Promise<SecretBytes> {
    return settle(() => unwrapDomainKey(this.#key(), wrapped));
  }

  describe(): SealDescription {
    return { type: this.type, details: { path: this.path } };
  }

  /** Zeroizes the file key held in memory; the seal is unusable afterwards. */
  close(): void {
    this.#fileKey.zero();
  }

  #key(): Buffer {
    if (this.#fileKey.isZeroed) throw new SealedError('the dev-file seal was closed');
    return this.#fileKey.bytes;
  }
}
