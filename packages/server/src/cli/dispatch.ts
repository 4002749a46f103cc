import { isKmsError } from '../core/errors.js';
import { VERSION } from '../ops/version.js';
import {
  CliError,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  type CliIo,
  type Command,
  type ExitCode,
} from './command.js';

/**
 * Finds the command whose name is the longest prefix of `argv`, answers
 * `help`, `--help` and `--version`, runs it, and turns failures into exit
 * codes: CliError → 1, UsageError → 2 (with the usage), anything else → 1
 * with its message only (never a stack trace, which could carry inputs).
 *
 * @example
 * process.exitCode = await dispatch(COMMANDS, process.argv.slice(2), processIo());
 */
export async function dispatch(
  commands: readonly Command[],
  argv: readonly string[],
  io: CliIo,
): Promise<ExitCode> {
  const [first] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    return help(commands, first === undefined ? [] : argv.slice(1), io, first === undefined);
  }
  if (first === '--version' || first === 'version') {
    io.stdout.write(`custos ${VERSION}\n`);
    return EXIT_OK;
  }
  const command = match(commands, argv);
  if (command === undefined) return help(commands, argv, io, true);
  const args = argv.slice(command.name.length);
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT_OK;
  }
  const json = args.includes('--json');
  try {
    return await command.run(args, io);
  } catch (error) {
    return report(command, error, json, io);
  }
}

function match(commands: readonly Command[], argv: readonly string[]): Command | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    const fits = command.name.every((word, i) => argv[i] === word);
    if (fits && command.name.length > (best?.name.length ?? 0)) best = command;
  }
  return best;
}

function report(command: Command, error: unknown, json: boolean, io: CliIo): ExitCode {
  if (error instanceof UsageError) {
    io.stderr.write(`custos ${command.name.join(' ')}: ${error.message}\n\n${command.usage}\n`);
    return EXIT_USAGE;
  }
  // In-process commands (server, init) fail with the service's own typed errors.
  const code = error instanceof CliError || isKmsError(error) ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  if (json) {
    const requestId = error instanceof CliError ? error.requestId : undefined;
    io.stderr.write(`${JSON.stringify({ error: { code, message, requestId } })}\n`);
  } else {
    io.stderr.write(`custos ${command.name.join(' ')}: ${code}: ${message}\n`);
  }
  return EXIT_FAILED;
}

/**
 * `custos help [words...]`: one command's usage, or the commands under a
 * prefix (`custos help key`), or all of them. Unknown words are a usage error.
 */
function help(
  commands: readonly Command[],
  words: readonly string[],
  io: CliIo,
  failed: boolean,
): ExitCode {
  const exact = commands.find((c) => c.name.join(' ') === words.join(' '));
  if (exact !== undefined && words.length > 0) {
    io.stdout.write(`${exact.usage}\n`);
    return EXIT_OK;
  }
  const under = commands.filter((c) => words.every((word, i) => c.name[i] === word));
  const out = failed && words.length > 0 ? io.stderr : io.stdout;
  if (words.length > 0 && under.length === 0) {
    io.stderr.write(`custos: unknown command '${words.join(' ')}'\n\n`);
    io.stderr.write(summary(commands));
    return EXIT_USAGE;
  }
  out.write(summary(under));
  // A bare `custos` or a group without a subcommand is a usage error, though it prints help.
  return failed ? EXIT_USAGE : EXIT_OK;
}

function summary(commands: readonly Command[]): string {
  const names = commands.map((c) => c.name.join(' '));
  const width = Math.max(0, ...names.map((n) => n.length));
  const lines = commands.map((c, i) => `  ${(names[i] ?? '').padEnd(width)}  ${c.summary}`);
  return [
    'Usage: custos <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command takes --json and --help. Client commands read CUSTOS_ADDR',
    '(default http://127.0.0.1:8200) and CUSTOS_TOKEN.',
    '',
  ].join('\n');
}
