import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, LevelWithSilentOrString } from 'pino';
import type { Logger } from '../../ops/logger.js';

/** What pino's log methods take: an object or a message, then the rest. */
type LogArgs = [objOrMsg: unknown, msg?: string, ...rest: unknown[]];

/**
 * `request.log`: the process logger with the request id bound, made only
 * when a line is written at an enabled level. At info level a request writes
 * no line at all, and pino's child (bindings serialised, a prototype per
 * child) cost as much per request as the encryption it serves.
 */
export class RequestLogger implements FastifyBaseLogger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): LevelWithSilentOrString {
    return this.#child?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: LevelWithSilentOrString) {
    this.#logger().level = level;
  }

  fatal(...args: LogArgs): void {
    this.#write('fatal', args);
  }

  error(...args: LogArgs): void {
    this.#write('error', args);
  }

  warn(...args: LogArgs): void {
    this.#write('warn', args);
  }

  info(...args: LogArgs): void {
    this.#write('info', args);
  }

  debug(...args: LogArgs): void {
    this.#write('debug', args);
  }

  trace(...args: LogArgs): void {
    this.#write('trace', args);
  }

  silent(): void {
    // Lines at the silent level are never written.
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#logger().child(bindings, options);
  }

  #write(level: Level, args: LogArgs): void {
    const enabled =
      this.#child === undefined && this.options.level === undefined
        ? this.parent.isLevelEnabled(level)
        : this.#logger().isLevelEnabled(level);
    if (!enabled) return;
    // pino's LogFn overloads take (obj, msg?, …) or (msg, …): the arguments go on as they came.
    const logger = this.#logger();
    const logFn: (...rest: LogArgs) => void = logger[level];
    logFn.apply(logger, args);
  }

  #logger(): Logger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }
}

/**
 * Fastify's `childLoggerFactory` for a server logging to `logger`: a
 * RequestLogger instead of a pino child per request.
 *
 * @example
 * fastify({ loggerInstance: logger, childLoggerFactory: requestLoggerFactory(logger) });
 */
export function requestLoggerFactory(
  logger: Logger,
): (
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
) => FastifyBaseLogger {
  return (_parent, bindings, options) => new RequestLogger(logger, bindings, options);
}
