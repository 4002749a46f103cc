import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKmsError } from '../../src/core/errors.js';
import type { ErrorCode } from '../../src/core/errors.js';

/** The KmsError code `work` throws, or a marker that says what went wrong instead. */
export function codeOf(work: () => unknown): ErrorCode | 'NO_THROW' | 'NOT_KMS' {
  try {
    work();
  } catch (error) {
    return isKmsError(error) ? error.code : 'NOT_KMS';
  }
  return 'NO_THROW';
}

export async function asyncCodeOf(
  work: () => Promise<unknown>,
): Promise<ErrorCode | 'NO_THROW' | 'NOT_KMS'> {
  try {
    await work();
  } catch (error) {
    return isKmsError(error) ? error.code : 'NOT_KMS';
  }
  return 'NO_THROW';
}

export function isZeroFilled(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

/** A private temporary directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'custos-seal-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
