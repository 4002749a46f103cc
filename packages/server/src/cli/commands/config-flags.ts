import { ConfigError, loadConfig, type Config } from '../../ops/config.js';
import type { CliIo } from '../command.js';

/** The parseArgs options `custos server` and `custos init` share (DESIGN.md). */
export const CONFIG_OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  listen: { type: 'string' },
  'kmip-listen': { type: 'string' },
} as const;

export const CONFIG_USAGE = [
  '  --config FILE           YAML configuration (also CUSTOS_CONFIG)',
  '  --data-dir DIR          data directory (default ./custos-data; CUSTOS_DATA_DIR)',
  '  --listen HOST:PORT      HTTP listener (default 127.0.0.1:8200; CUSTOS_LISTEN)',
  '  --kmip-listen HOST:PORT KMIP listener (default 127.0.0.1:5696; CUSTOS_KMIP_LISTEN);',
  '                          KMIP is not available yet: nothing listens there',
].join('\n');

export interface ConfigFlagValues {
  readonly config?: string | undefined;
  readonly 'data-dir'?: string | undefined;
  readonly listen?: string | undefined;
  readonly 'kmip-listen'?: string | undefined;
}

/**
 * The configuration for these flags and the environment, or undefined after
 * printing why it is invalid (the caller exits 2: a configuration error is a
 * usage error, and the command's full usage would only bury the message).
 */
export async function configFromFlags(
  values: ConfigFlagValues,
  io: CliIo,
): Promise<Config | undefined> {
  try {
    return await loadConfig({
      flags: {
        config: values.config,
        dataDir: values['data-dir'],
        listen: values.listen,
        kmipListen: values['kmip-listen'],
      },
      env: io.env,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`custos: ${error.message}\n`);
    return undefined;
  }
}
