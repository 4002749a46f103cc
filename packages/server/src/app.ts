import type { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { auditLogFor, startAuditRetention } from './app-audit.js';
import { dataDirPaths, prepareDataDir, writeRootToken, type DataDirPaths } from './app-data-dir.js';
import {
  hasRootPrincipal,
  issueRootToken,
  makeAuthenticator,
  refreshPolicies,
} from './app-identity.js';
import {
  healthProbe,
  initializeDevFile,
  initializePassphrase,
  startKeyring,
  sysControls,
} from './app-seal.js';
import { readTls } from './app-tls.js';
import { appTelemetry } from './app-telemetry.js';
import { UnsupportedError } from './core/errors.js';
import { PolicyAuthorizer } from './authz/policy-authorizer.js';
import { parseListen, type Config } from './ops/config.js';
import { createLogger, type Logger } from './ops/logger.js';
import { VERSION } from './ops/version.js';
import { createHttpServer, type Mount } from './protocols/http/server.js';
import { closeGracefully } from './protocols/http/shutdown.js';
import { identityRoutes } from './protocols/rest/identity-routes.js';
import { docsRoutes, RouteCatalogue, restApi } from './protocols/rest/index.js';
import { sysRoutes } from './protocols/rest/sys-routes.js';
import { vaultDoor } from './protocols/vault/index.js';
import { awsKmsDoor } from './protocols/aws-kms/plugin.js';
import { accessKeyRoutes } from './protocols/rest/access-key-routes.js';
import { auditRoutes } from './protocols/rest/audit-routes.js';
import { Keyring } from './seal/keyring.js';
import type { Kms } from './service/context.js';
import { createKms } from './service/kms.js';
import { flushTokenUse } from './service/identity/index.js';
import { startScheduler } from './service/scheduled-work.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';

/**
 * The composition root: the only file that picks adapters (SQLite store,
 * dev-file or passphrase seal, policy authorizer) and wires them to the HTTP
 * server. `custos server` calls startApp; `custos init` calls initApp.
 */

export interface StartOptions {
  readonly config: Config;
  /** Where the first start prints the root token (the terminal), once. */
  readonly stdout: Writable;
  /** Log destination; stdout by default. */
  readonly logDestination?: DestinationStream;
}

export interface RunningApp {
  /** The listener's base URL, e.g. `http://127.0.0.1:8200`. */
  readonly url: string;
  readonly logger: Logger;
  readonly http: FastifyInstance;
  /** Drains in-flight requests (up to limits.shutdownTimeoutMs), then closes everything. */
  stop(): Promise<void>;
}

/** Opens the store for `config` and builds the service around it, sealed. */
async function openKms(config: Config, paths: DataDirPaths, logger?: Logger): Promise<Kms> {
  if (config.store.type !== 'sqlite') {
    throw new UnsupportedError(`the ${config.store.type} store is not available yet; use sqlite`);
  }
  const store = await openSqliteStore({ path: paths.database });
  const keyring = new Keyring();
  const audit = auditLogFor(store, keyring, config, {
    database: paths.database,
    ...(logger !== undefined && { logger }),
  });
  return createKms({ store, keyring, authorizer: new PolicyAuthorizer(), audit });
}

export async function startApp(options: StartOptions): Promise<RunningApp> {
  const { config } = options;
  const logger = createLogger({
    level: config.logging.level,
    ...(options.logDestination !== undefined && { destination: options.logDestination }),
  });
  const paths = dataDirPaths(config);
  const { warning } = await prepareDataDir(paths);
  if (warning !== undefined) logger.warn(warning);
  const kms = await openKms(config, paths, logger);
  try {
    await refreshPolicies(kms);
    const { firstStart } = await startKeyring(kms, config, paths);
    // A first start that died between storing the domain key and creating the
    // root token left a store nobody can use: finish the job now.
    if (firstStart || (config.seal.type === 'dev-file' && !(await hasRootPrincipal(kms)))) {
      const token = await issueRootToken(kms);
      await writeRootToken(paths.rootToken, token);
      options.stdout.write(firstStartBanner(token, paths));
    }
    logger.info(
      { dataDir: paths.dir, seal: config.seal.type, sealed: kms.keyring.sealed },
      'starting',
    );
    return await serve(kms, config, paths, logger);
  } catch (error) {
    await closeKms(kms);
    throw error;
  }
}

async function serve(kms: Kms, config: Config, paths: DataDirPaths, logger: Logger) {
  // Everything that can fail on bad configuration first, before anything runs.
  const authenticator = makeAuthenticator(kms, config);
  const tls = await readTls(config.tls);
  const scheduler = startScheduler(kms, {
    intervalMs: config.scheduler.intervalMs,
    purgeExpiredAfterMs: config.scheduler.purgeExpiredAfterMs,
    onError: (error) => {
      logger.error(
        { errorName: error instanceof Error ? error.name : 'unknown' },
        'scheduled work failed',
      );
    },
  });
  const catalogue = new RouteCatalogue();
  const { limits } = config;
  // Tracing, metrics, throttles, rate limits, replay protection and /metrics.
  const { protection } = appTelemetry(kms, config);
  const api: Mount[] = [
    (app) => {
      for (const route of sysRoutes(sysControls(kms, config))) {
        route.install(app, {});
        catalogue.add(app.prefix, route.doc);
      }
      return Promise.resolve();
    },
    async (app) => {
      await app.register(restApi, { catalogue });
    },
    async (app) => {
      await app.register(identityRoutes, { catalogue });
    },
    async (app) => {
      await app.register(accessKeyRoutes, { catalogue });
    },
    async (app) => {
      await app.register(auditRoutes, { catalogue });
    },
  ];
  let http: FastifyInstance;
  try {
    http = await createHttpServer({
      kms,
      logger,
      limits,
      tls,
      authenticator,
      health: { probe: healthProbe(kms), version: VERSION },
      protection,
      api,
      doors: [
        // DESIGN.md: /docs at the root too, the same page as /api/v1/docs.
        async (app) => {
          await app.register(docsRoutes, { catalogue, apiPrefix: '/api/v1', serveDocument: false });
        },
        async (app) => {
          await app.register(vaultDoor, { mounts: config.vault.mounts });
        },
        async (app) => {
          await app.register(awsKmsDoor, { partition: config.aws });
        },
      ],
    });
    await http.listen(parseListen(config.listen));
  } catch (error) {
    await scheduler.stop();
    throw error;
  }
  const retention = startAuditRetention(kms, config, paths, logger);
  const url = listenUrl(http, config);
  logger.info({ url, version: VERSION }, 'listening');
  // kmipListen is part of the command's interface (DESIGN.md), so it is
  // accepted; until the KMIP door exists, say plainly that nothing serves it.
  logger.warn(
    { kmipListen: config.kmipListen },
    'KMIP is not available yet: nothing listens on kmipListen',
  );
  let stopping: Promise<void> | undefined;
  return {
    url,
    logger,
    http,
    stop() {
      stopping ??= (async () => {
        const { forced } = await closeGracefully(http, limits.shutdownTimeoutMs);
        if (forced) logger.warn('shutdown timeout: in-flight requests were cut off');
        await scheduler.stop();
        await retention.stop();
        await closeKms(kms);
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

/** Writes what usage counters are still in memory, closes the store, forgets the keys. */
async function closeKms(kms: Kms): Promise<void> {
  try {
    await kms.usage.flush(kms.store);
    await flushTokenUse(kms);
  } finally {
    try {
      // The audit log signs a last checkpoint while the keys are still there.
      await kms.audit?.close();
    } finally {
      await kms.store.close();
      kms.keyring.seal();
    }
  }
}

function listenUrl(http: FastifyInstance, config: Config): string {
  const address = http.server.address();
  const scheme = config.tls === undefined ? 'http' : 'https';
  if (address === null || typeof address === 'string') return `${scheme}://${config.listen}`;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${host}:${address.port.toString()}`;
}

function firstStartBanner(token: string, paths: DataDirPaths): string {
  return [
    'Custos initialised with the dev-file seal.',
    `Root token: ${token}`,
    `(also written to ${paths.rootToken}, mode 0600; it is not shown again)`,
    '',
  ].join('\n');
}

/**
 * `custos init`: initialises the data directory with the configured seal and
 * returns the root token. The passphrase is required for the passphrase seal.
 */
export async function initApp(config: Config, passphrase?: string): Promise<{ rootToken: string }> {
  const paths = dataDirPaths(config);
  await prepareDataDir(paths);
  const kms = await openKms(config, paths);
  try {
    if (config.seal.type === 'passphrase') {
      await initializePassphrase(kms, passphrase ?? '');
    } else {
      await initializeDevFile(kms, paths);
    }
    const rootToken = await issueRootToken(kms);
    if (config.seal.type === 'dev-file') await writeRootToken(paths.rootToken, rootToken);
    return { rootToken };
  } finally {
    await closeKms(kms);
  }
}
