import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { applyEnv, setPath } from './config-env.js';
import { ConfigError } from './config-error.js';
import { type Config, configSchema } from './config-schema.js';

export { ConfigError } from './config-error.js';
export { ENV_MAPPINGS } from './config-env.js';
export type * from './config-schema.js';

/** The flags of `custos server` and `custos init` that override the config. */
export interface ConfigFlags {
  readonly config?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly listen?: string | undefined;
  readonly kmipListen?: string | undefined;
}

export interface ConfigSources {
  readonly flags?: ConfigFlags;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Builds the configuration with precedence flag > CUSTOS_* env > file >
 * default. The file is `--config` or CUSTOS_CONFIG; with neither, defaults and
 * env alone. Any unknown key or bad value is a ConfigError naming it.
 *
 * @example
 * const config = await loadConfig({ flags: { dataDir: './data' }, env: process.env });
 * config.listen; // '127.0.0.1:8200'
 */
export async function loadConfig(sources: ConfigSources): Promise<Config> {
  const flags = sources.flags ?? {};
  const file = flags.config ?? nonEmpty(sources.env.CUSTOS_CONFIG);
  const raw = applyEnv(file === undefined ? {} : await readConfigFile(file), sources.env);
  const overrides: [string, string | undefined][] = [
    ['dataDir', flags.dataDir],
    ['listen', flags.listen],
    ['kmipListen', flags.kmipListen],
  ];
  for (const [name, value] of overrides) if (value !== undefined) setPath(raw, [name], value);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const where = file === undefined ? '' : ` (${file})`;
    throw new ConfigError(`invalid configuration${where}: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    throw new ConfigError(`cannot read config file ${file}: ${code}`);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [first] = doc.errors;
  if (first !== undefined) {
    const line = first.linePos?.[0].line;
    throw new ConfigError(
      `config file ${file} is not valid YAML${line === undefined ? '' : ` (line ${line})`}: ${first.code}`,
    );
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`config file ${file} must be a YAML mapping of settings`);
  }
  return value as Record<string, unknown>;
}

/** One line per problem, naming the key path; values are never repeated back. */
function describeIssues(error: z.ZodError): string {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`unknown key '${at === '' ? key : `${at}.${key}`}'`);
    } else {
      lines.push(`${at === '' ? '(top level)' : `'${at}'`}: ${issue.message}`);
    }
  }
  return lines.join('; ');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * `host:port` or `[v6]:port` (as the schema checked it) → what `listen()` takes.
 *
 * @example
 * parseListen('[::1]:8200'); // { host: '::1', port: 8200 }
 */
export function parseListen(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(address.slice(colon + 1)) };
}
