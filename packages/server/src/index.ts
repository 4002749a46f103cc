/**
 * The `custos` package as a library: start the server in-process (embedding,
 * tests) with the same configuration rules as `custos server`.
 *
 * @example
 * import { loadConfig, startApp } from 'custos';
 * const app = await startApp({ config: await loadConfig({ env: process.env }), stdout: process.stdout });
 * // … later
 * await app.stop();
 */
export { initApp, startApp, type RunningApp, type StartOptions } from './app.js';
export { ConfigError, ENV_MAPPINGS, loadConfig, parseListen } from './ops/config.js';
export type { Config, ConfigFlags, ConfigSources } from './ops/config.js';
export { VERSION } from './ops/version.js';
