import { AccessDeniedError, InvalidStateError, needs } from './core/errors.js';
import type { Config } from './ops/config.js';
import { VERSION } from './ops/version.js';
import type { HealthReport } from './protocols/health/health-routes.js';
import type { SysControls } from './protocols/rest/sys-routes.js';
import { DevFileSeal } from './seal/dev-file-seal.js';
import { PassphraseSeal } from './seal/passphrase-seal.js';
import type { Kms } from './service/context.js';
import { initializeKms, sealKms, sealStatus, unsealKms } from './service/seal-state.js';
import { exists, type DataDirPaths } from './app-data-dir.js';

/**
 * Brings the keyring up at start. Dev-file: the first start creates the root
 * key file and initialises (`firstStart: true`); later starts unseal with the
 * file. Passphrase: the data directory must have been initialised by
 * `custos init`, and the server starts sealed until an operator unseals it.
 */
export async function startKeyring(
  kms: Kms,
  config: Config,
  paths: DataDirPaths,
): Promise<{ firstStart: boolean }> {
  const { initialized } = await sealStatus(kms);
  if (config.seal.type === 'passphrase') {
    needs(
      initialized,
      () =>
        new InvalidStateError(
          `${paths.dir} is not initialised: run \`custos init\` with this configuration first`,
        ),
    );
    return { firstStart: false };
  }
  if (!initialized) {
    await initializeDevFile(kms, paths);
    return { firstStart: true };
  }
  await unsealDevFile(kms, paths);
  return { firstStart: false };
}

/**
 * First start with the dev-file seal. A root key file without an initialised
 * store is what a crash between the two steps leaves: no domain key was ever
 * stored under it, so it is reused rather than refused.
 */
export async function initializeDevFile(kms: Kms, paths: DataDirPaths): Promise<void> {
  const seal = (await exists(paths.rootKey))
    ? await DevFileSeal.open(paths.rootKey)
    : await DevFileSeal.create(paths.rootKey);
  try {
    await initializeKms(kms, seal);
  } finally {
    seal.close();
  }
}

/** `custos init` with the passphrase seal: a new domain key wrapped under the passphrase. */
export async function initializePassphrase(kms: Kms, passphrase: string): Promise<void> {
  const seal = new PassphraseSeal(passphrase);
  try {
    await initializeKms(kms, seal);
  } finally {
    seal.zero();
  }
}

async function unsealDevFile(kms: Kms, paths: DataDirPaths): Promise<void> {
  const seal = await DevFileSeal.open(paths.rootKey);
  try {
    await unsealKms(kms, seal);
  } finally {
    seal.close();
  }
}

/**
 * The seal operations behind /api/v1/sys. Unseal attempts run one at a time:
 * each costs a full scrypt derivation, and a queue keeps a burst of guesses
 * from taking every core.
 */
export function sysControls(kms: Kms, config: Config): SysControls {
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    async status() {
      return { ...(await sealStatus(kms)), version: VERSION };
    },
    unseal(passphrase) {
      return serialised(async () => {
        needs(
          config.seal.type === 'passphrase',
          () => new InvalidStateError('the dev-file seal unseals itself when the server starts'),
        );
        if (!kms.keyring.sealed) return;
        const seal = new PassphraseSeal(passphrase);
        try {
          await unsealKms(kms, seal);
        } finally {
          seal.zero();
        }
      });
    },
    seal(ctx) {
      // Sealing stops every key operation for everyone: only root may.
      needs(
        ctx.principal.kind === 'root',
        () => new AccessDeniedError(`${ctx.principal.id} is not allowed to seal the server`),
      );
      sealKms(kms);
      return Promise.resolve();
    },
  };
}

const PING_TIMEOUT_MS = 2_000;

/** The readiness facts; a store that does not answer in 2 s counts as unavailable. */
export function healthProbe(kms: Kms): () => Promise<HealthReport> {
  return async () => {
    const [store, status] = await Promise.all([
      pingWithin(kms, PING_TIMEOUT_MS),
      sealStatus(kms).catch(() => undefined),
    ]);
    return {
      initialized: status?.initialized ?? false,
      sealed: kms.keyring.sealed,
      store: store && status !== undefined ? 'ok' : 'unavailable',
    };
  };
}

async function pingWithin(kms: Kms, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([kms.store.ping().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
