import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from './ops/config.js';

/** Where everything of one Custos lives (DESIGN.md: `<data-dir>/root-token`). */
export interface DataDirPaths {
  readonly dir: string;
  readonly database: string;
  readonly rootKey: string;
  readonly rootToken: string;
}

export function dataDirPaths(config: Config): DataDirPaths {
  const dir = resolve(config.dataDir);
  return {
    dir,
    database: resolve(
      config.store.type === 'sqlite'
        ? (config.store.path ?? join(dir, 'custos.db'))
        : join(dir, 'custos.db'),
    ),
    rootKey: resolve(
      config.seal.type === 'dev-file'
        ? (config.seal.path ?? join(dir, 'root.key'))
        : join(dir, 'root.key'),
    ),
    rootToken: join(dir, 'root-token'),
  };
}

/**
 * Creates the data directory 0700 (and its parents as needed). An existing
 * directory is left as it is, but one that others may enter is reported so
 * the operator can fix it: it holds the database and, with the dev-file seal,
 * the key that unseals it.
 */
export async function prepareDataDir(paths: DataDirPaths): Promise<{ warning?: string }> {
  const created = await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  if (created !== undefined) {
    // mkdir's mode is filtered by the umask; the directory must be exactly 0700.
    await chmod(paths.dir, 0o700);
    return {};
  }
  const mode = (await stat(paths.dir)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    return {
      warning: `data directory ${paths.dir} has mode 0${mode.toString(8)}; run chmod 700 ${paths.dir}`,
    };
  }
  return {};
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the root token 0600, atomically: a temporary file in the same
 * directory, synced, then renamed, so a crash never leaves half a token.
 */
export async function writeRootToken(path: string, token: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid.toString()}`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${token}\n`, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, path);
}
