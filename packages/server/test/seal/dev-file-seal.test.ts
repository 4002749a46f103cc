import { chmod, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SecretBytes } from '@custos/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isKmsError } from '../../src/core/errors.js';
import { DevFileSeal } from '../../src/seal/index.js';
import { asyncCodeOf, tempDir } from './helpers.js';

describe('DevFileSeal', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    await cleanup();
  });

  it('creates a 32-byte root key file with mode 0600', async () => {
    const path = join(dir, 'root.key');
    const seal = await DevFileSeal.create(path);
    const info = await stat(path);
    expect(info.mode & 0o777).toBe(0o600);
    expect(info.size).toBe(32);
    expect(seal.describe()).toEqual({ type: 'dev-file', details: { path } });
    seal.close();
  });

  it('refuses to overwrite an existing file', async () => {
    const path = join(dir, 'root.key');
    (await DevFileSeal.create(path)).close();
    expect(await asyncCodeOf(() => DevFileSeal.create(path))).toBe('ALREADY_EXISTS');
  });

  it.each([0o644, 0o640, 0o604])('refuses a root key file with mode %o', async (mode) => {
    const path = join(dir, 'root.key');
    await writeFile(path, Buffer.alloc(32, 7));
    await chmod(path, mode);
    const error: unknown = await DevFileSeal.open(path).catch((e: unknown) => e);
    expect(isKmsError(error) && error.code).toBe('INVALID_INPUT');
    expect(String(error)).toContain(`mode 0${mode.toString(8)}`);
    expect(String(error)).toContain('chmod 600');
  });

  it('refuses a root key file that is not exactly 32 bytes', async () => {
    const path = join(dir, 'root.key');
    await writeFile(path, Buffer.alloc(31, 7), { mode: 0o600 });
    const error: unknown = await DevFileSeal.open(path).catch((e: unknown) => e);
    expect(isKmsError(error) && error.code).toBe('INVALID_INPUT');
    expect(String(error)).toContain('exactly 32 bytes');
  });

  it('reports a missing root key file as NOT_FOUND', async () => {
    expect(await asyncCodeOf(() => DevFileSeal.open(join(dir, 'absent.key')))).toBe('NOT_FOUND');
  });

  it('unwraps what it wrapped, also after reopening the file', async () => {
    const path = join(dir, 'root.key');
    const created = await DevFileSeal.create(path);
    const domainKey = SecretBytes.random(32);
    const wrapped = await created.wrap(domainKey);
    created.close();

    const reopened = await DevFileSeal.open(path);
    const unwrapped = await reopened.unwrap(wrapped);
    expect(unwrapped.equals(domainKey)).toBe(true);
    reopened.close();
  });

  it('cannot unwrap with a different root key file', async () => {
    const first = await DevFileSeal.create(join(dir, 'a.key'));
    const second = await DevFileSeal.create(join(dir, 'b.key'));
    const wrapped = await first.wrap(SecretBytes.random(32));
    const error: unknown = await second.unwrap(wrapped).catch((e: unknown) => e);
    expect(isKmsError(error) && error.code).toBe('INVALID_INPUT');
    expect(String(error)).toContain('unseal failed');
  });

  it('fails a tampered blob with the same error', async () => {
    const seal = await DevFileSeal.create(join(dir, 'root.key'));
    const wrapped = await seal.wrap(SecretBytes.random(32));
    wrapped[20] = (wrapped[20] ?? 0) ^ 1;
    expect(await asyncCodeOf(() => seal.unwrap(wrapped))).toBe('INVALID_INPUT');
  });

  it('is unusable after close()', async () => {
    const seal = await DevFileSeal.create(join(dir, 'root.key'));
    const wrapped = await seal.wrap(SecretBytes.random(32));
    seal.close();
    expect(await asyncCodeOf(() => seal.unwrap(wrapped))).toBe('SEALED');
    expect(await asyncCodeOf(() => seal.wrap(SecretBytes.random(32)))).toBe('SEALED');
  });
});
