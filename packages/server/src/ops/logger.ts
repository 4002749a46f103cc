import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Headers that carry credentials, in the shapes pino sees them (request and response). */
const SECRET_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-custos-token',
  'x-vault-token',
  'x-amz-security-token',
];

/**
 * Field names that hold secrets wherever they appear in a logged object.
 * Ciphertext is not among them: it is safe to log by construction. Request
 * bodies are never logged at all; this is the second line of defence for an
 * object someone logs by mistake.
 */
const SECRET_FIELDS = [
  'plaintext',
  'privateKey',
  'privateKeyPlaintext',
  'privateKeyPem',
  'keyMaterial',
  'material',
  'passphrase',
  'password',
  'pin',
  'token',
  'secret',
  'secretAccessKey',
  'clientSecret',
  'shares',
];

const SECRET_KEYS = new Set([...SECRET_HEADERS, ...SECRET_FIELDS].map((k) => k.toLowerCase()));
const CENSOR = '[redacted]';
/** Deeper than any object we log on purpose; bounds the walk on a cyclic one. */
const MAX_DEPTH = 8;

/** Whether a field of this name is censored (case-insensitive; `privateKey…` by prefix). */
export function isSecretKey(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_KEYS.has(lower) || lower.startsWith('privatekey');
}

/**
 * A copy of `value` with secret fields censored at any depth. Only plain
 * objects and arrays are walked: a request or socket object goes to its pino
 * serializer, which keeps method, url and addresses and drops headers.
 * (pino's own `redact` needs one path per depth; with wildcards at several
 * depths it cost ~0.3 ms per line, this walk a few microseconds.)
 */
export function censor(value: unknown, depth = 0): unknown {
  // Most log objects hold nothing secret: return them as they are, uncopied.
  return holdsSecret(value, depth) ? censoredCopy(value, depth) : value;
}

function walkable(value: unknown, depth: number): value is object {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function holdsSecret(value: unknown, depth: number): boolean {
  if (!walkable(value, depth)) return false;
  if (Array.isArray(value)) return value.some((item: unknown) => holdsSecret(item, depth + 1));
  for (const [name, field] of Object.entries(value)) {
    if (isSecretKey(name) || holdsSecret(field, depth + 1)) return true;
  }
  return false;
}

function censoredCopy(value: unknown, depth: number): unknown {
  if (!walkable(value, depth)) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => censoredCopy(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    result[name] = isSecretKey(name) ? CENSOR : censoredCopy(field, depth + 1);
  }
  return result;
}

export interface LoggerConfig {
  readonly level: string;
  /** Where JSON lines go; stdout by default. Tests pass a stream to read them back. */
  readonly destination?: DestinationStream;
}

/**
 * The process's pino logger: JSON lines, ISO timestamps, credentials and
 * secret fields censored.
 *
 * @example
 * const logger = createLogger({ level: config.logging.level });
 * logger.info({ requestId, keyId }, 'key created');
 */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level,
    base: { service: 'custos' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (object) => censor(object) as Record<string, unknown> },
  };
  return config.destination === undefined ? pino(options) : pino(options, config.destination);
}
