import { ConfigError } from './config-error.js';

/** How a variable's text becomes a config value. */
export type EnvKind = 'string' | 'int' | 'boolean' | 'json';

export interface EnvMapping {
  readonly env: string;
  /** The config field it sets, e.g. `['limits', 'bodyBytes']`. */
  readonly path: readonly string[];
  readonly kind: EnvKind;
}

const rateLimit = (prefix: string, path: readonly string[]): EnvMapping[] => [
  { env: `${prefix}_POINTS`, path: [...path, 'points'], kind: 'int' },
  { env: `${prefix}_DURATION_SECONDS`, path: [...path, 'durationSeconds'], kind: 'int' },
  { env: `${prefix}_BURST_POINTS`, path: [...path, 'burstPoints'], kind: 'int' },
  { env: `${prefix}_BURST_DURATION_SECONDS`, path: [...path, 'burstDurationSeconds'], kind: 'int' },
];

/**
 * Every config field and the CUSTOS_* variable that overrides it
 * (docs/configuration.md lists the same table; a test keeps the table, the
 * schema and the doc equal).
 */
export const ENV_MAPPINGS: readonly EnvMapping[] = [
  { env: 'CUSTOS_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { env: 'CUSTOS_LISTEN', path: ['listen'], kind: 'string' },
  { env: 'CUSTOS_KMIP_LISTEN', path: ['kmipListen'], kind: 'string' },
  { env: 'CUSTOS_STORE_TYPE', path: ['store', 'type'], kind: 'string' },
  { env: 'CUSTOS_STORE_PATH', path: ['store', 'path'], kind: 'string' },
  { env: 'CUSTOS_STORE_URL', path: ['store', 'url'], kind: 'string' },
  { env: 'CUSTOS_SEAL_TYPE', path: ['seal', 'type'], kind: 'string' },
  { env: 'CUSTOS_SEAL_PATH', path: ['seal', 'path'], kind: 'string' },
  { env: 'CUSTOS_TLS_CERT', path: ['tls', 'cert'], kind: 'string' },
  { env: 'CUSTOS_TLS_KEY', path: ['tls', 'key'], kind: 'string' },
  { env: 'CUSTOS_TLS_CLIENT_CA', path: ['tls', 'clientCa'], kind: 'string' },
  { env: 'CUSTOS_TLS_REQUIRE_CLIENT_CERT', path: ['tls', 'requireClientCert'], kind: 'boolean' },
  { env: 'CUSTOS_OIDC', path: ['oidc'], kind: 'json' },
  { env: 'CUSTOS_LIMITS_BODY_BYTES', path: ['limits', 'bodyBytes'], kind: 'int' },
  { env: 'CUSTOS_LIMITS_REQUEST_TIMEOUT_MS', path: ['limits', 'requestTimeoutMs'], kind: 'int' },
  {
    env: 'CUSTOS_LIMITS_CONNECTION_TIMEOUT_MS',
    path: ['limits', 'connectionTimeoutMs'],
    kind: 'int',
  },
  { env: 'CUSTOS_LIMITS_SHUTDOWN_TIMEOUT_MS', path: ['limits', 'shutdownTimeoutMs'], kind: 'int' },
  ...rateLimit('CUSTOS_LIMITS_RATE_PER_ADDRESS', ['limits', 'rate', 'perAddress']),
  ...rateLimit('CUSTOS_LIMITS_RATE_PER_PRINCIPAL', ['limits', 'rate', 'perPrincipal']),
  {
    env: 'CUSTOS_LIMITS_AUTH_FAILURES_MAX',
    path: ['limits', 'authFailures', 'maxFailures'],
    kind: 'int',
  },
  {
    env: 'CUSTOS_LIMITS_AUTH_FAILURES_WINDOW_SECONDS',
    path: ['limits', 'authFailures', 'windowSeconds'],
    kind: 'int',
  },
  { env: 'CUSTOS_LIMITS_REPLAY_MAX_SKEW_MS', path: ['limits', 'replay', 'maxSkewMs'], kind: 'int' },
  {
    env: 'CUSTOS_LIMITS_REPLAY_NONCE_TTL_MS',
    path: ['limits', 'replay', 'nonceTtlMs'],
    kind: 'int',
  },
  { env: 'CUSTOS_LOG_LEVEL', path: ['logging', 'level'], kind: 'string' },
  { env: 'CUSTOS_TRACING_OTLP_ENDPOINT', path: ['tracing', 'otlpEndpoint'], kind: 'string' },
  { env: 'CUSTOS_TRACING_SERVICE_NAME', path: ['tracing', 'serviceName'], kind: 'string' },
  { env: 'CUSTOS_SCHEDULER_INTERVAL_MS', path: ['scheduler', 'intervalMs'], kind: 'int' },
  {
    env: 'CUSTOS_SCHEDULER_PURGE_EXPIRED_AFTER_MS',
    path: ['scheduler', 'purgeExpiredAfterMs'],
    kind: 'int',
  },
  { env: 'CUSTOS_VAULT_MOUNTS', path: ['vault', 'mounts'], kind: 'json' },
  { env: 'CUSTOS_AWS_REGION', path: ['aws', 'region'], kind: 'string' },
  { env: 'CUSTOS_AWS_ACCOUNT_ID', path: ['aws', 'accountId'], kind: 'string' },
  { env: 'CUSTOS_AUDIT_CHECKPOINT_EVERY', path: ['audit', 'checkpointEvery'], kind: 'int' },
  {
    env: 'CUSTOS_AUDIT_CHECKPOINT_INTERVAL_MS',
    path: ['audit', 'checkpointIntervalMs'],
    kind: 'int',
  },
  { env: 'CUSTOS_AUDIT_CONTEXT_VALUES', path: ['audit', 'contextValues'], kind: 'string' },
  { env: 'CUSTOS_AUDIT_SINK_TYPE', path: ['audit', 'sink', 'type'], kind: 'string' },
  { env: 'CUSTOS_AUDIT_SINK_PATH', path: ['audit', 'sink', 'path'], kind: 'string' },
  {
    env: 'CUSTOS_AUDIT_RETENTION_MAX_AGE_DAYS',
    path: ['audit', 'retention', 'maxAgeDays'],
    kind: 'int',
  },
  {
    env: 'CUSTOS_AUDIT_RETENTION_ARCHIVE_DIR',
    path: ['audit', 'retention', 'archiveDir'],
    kind: 'string',
  },
];

/**
 * Returns `raw` (the parsed file, or {}) with every set CUSTOS_* variable
 * written over the field it maps to. Empty variables count as unset.
 */
export function applyEnv(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const result = structuredClone(raw);
  for (const mapping of ENV_MAPPINGS) {
    const text = env[mapping.env];
    if (text === undefined || text === '') continue;
    setPath(result, mapping.path, convert(mapping, text));
  }
  return result;
}

/** Writes `value` at `path`, creating (or replacing non-object) intermediate objects. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown) {
  let node = target;
  for (const [i, name] of path.entries()) {
    if (i === path.length - 1) {
      node[name] = value;
      return;
    }
    const next = node[name];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[name] = created;
      node = created;
    }
  }
}

function convert(mapping: EnvMapping, text: string): unknown {
  switch (mapping.kind) {
    case 'string':
      return text;
    case 'int':
      if (!/^-?\d+$/.test(text.trim())) throw invalid(mapping, 'an integer');
      return Number(text.trim());
    case 'boolean':
      if (/^(true|1|yes)$/i.test(text.trim())) return true;
      if (/^(false|0|no)$/i.test(text.trim())) return false;
      throw invalid(mapping, 'true or false');
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw invalid(mapping, 'JSON');
      }
  }
}

function invalid(mapping: EnvMapping, expected: string): ConfigError {
  // The value itself is left out: a variable may hold something secret by mistake.
  return new ConfigError(`${mapping.env} must be ${expected} (it sets ${mapping.path.join('.')})`);
}
