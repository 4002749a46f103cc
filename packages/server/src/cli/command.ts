import type { Readable, Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a command may touch: the process's streams and environment, injectable for tests. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdin and stderr are terminals (prompts, progress bars). */
  readonly isTTY: boolean;
}

/** Exit codes every command keeps: 0 ok, 1 the operation failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILED | typeof EXIT_USAGE;

/**
 * One `custos` command.
 *
 * @example
 * export const statusCommand: Command = {
 *   name: ['status'],
 *   summary: 'Show whether the server is initialised and sealed',
 *   usage: 'custos status [--json]',
 *   async run(args, io) {
 *     const { values } = parseCommandArgs(this, args, {});
 *     ...
 *     return EXIT_OK;
 *   },
 * };
 */
export interface Command {
  /** The words that select it, e.g. `['key', 'create']`. */
  readonly name: readonly string[];
  readonly summary: string;
  /** Full usage text shown by `custos help <name>` and on a usage error. */
  readonly usage: string;
  /** `args` are the words after the name. Resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<ExitCode>;
}

/** The command line is wrong: exit code 2 with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The operation failed: exit code 1. `code` is the server's stable error code
 * (docs/errors.md) when the server answered, or a CLI-side code such as
 * `UNAVAILABLE` when it could not be reached.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options every command accepts. */
const COMMON = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

interface CommandArgsConfig<O extends Options> {
  args: string[];
  options: typeof COMMON & O;
  strict: true;
  allowPositionals: true;
}

/** What parseCommandArgs returns: typed `values` (with `json`, `help`) and `positionals`. */
export type ParsedCommandArgs<O extends Options> = ReturnType<
  typeof parseArgs<CommandArgsConfig<O>>
>;

/**
 * node:util parseArgs, strict, with `--json` and `--help` added; a parse
 * failure becomes a UsageError. `--help` is answered by main before `run`.
 *
 * @example
 * const { values, positionals } = parseCommandArgs(args, {
 *   principal: { type: 'string' },
 * });
 * if (values.json) ...
 */
export function parseCommandArgs<O extends Options>(
  args: readonly string[],
  options: O,
): ParsedCommandArgs<O> {
  try {
    return parseArgs<CommandArgsConfig<O>>({
      args: [...args],
      options: { ...COMMON, ...options },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Refuses positionals beyond `names`, and returns the ones given (missing ones are a usage error). */
export function positionals(given: readonly string[], names: readonly string[]): string[] {
  if (given.length > names.length) {
    throw new UsageError(`unexpected argument '${given[names.length] ?? ''}'`);
  }
  if (given.length < names.length) {
    throw new UsageError(`missing argument <${names[given.length] ?? ''}>`);
  }
  return [...given];
}

/** Writes `value` as one line of JSON (with `--json`) or the human text otherwise. */
export function output(io: CliIo, json: boolean, value: unknown, human: () => string): void {
  io.stdout.write(json ? `${JSON.stringify(value)}\n` : ensureNewline(human()));
}

function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/** Aligned `label: value` lines for human output. */
export function table(rows: readonly (readonly [string, string | number | boolean | null])[]) {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${String(value)}`).join('\n');
}
