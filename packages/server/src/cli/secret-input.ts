import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { CliIo } from './command.js';
import { CliError, UsageError } from './command.js';

/**
 * Secrets reach the CLI only from a file, a no-echo prompt or stdin, never
 * from argv (visible in `ps` and shell history).
 */
export interface SecretSource {
  /** A file holding the secret; `-` reads stdin. One trailing newline is dropped. */
  readonly file?: string | undefined;
  /** What to ask on a terminal when no file is given. */
  readonly prompt: string;
  /** Ask twice and insist both match (choosing a new passphrase). */
  readonly confirm?: boolean;
  /** Names the flag in error messages, e.g. `--passphrase-file`. */
  readonly flag: string;
}

/**
 * @example
 * const passphrase = await readSecret(io, { file: values['passphrase-file'],
 *   prompt: 'Passphrase: ', flag: '--passphrase-file' });
 */
export async function readSecret(io: CliIo, source: SecretSource): Promise<string> {
  let secret: string;
  if (source.file !== undefined) {
    secret = source.file === '-' ? await readAll(io) : await readSecretFile(source.file);
  } else {
    if (!io.isTTY) {
      throw new UsageError(`no terminal to prompt on: pass ${source.flag} FILE (or - for stdin)`);
    }
    const answers = await prompt(io, [
      source.prompt,
      ...(source.confirm === true ? ['Again: '] : []),
    ]);
    secret = answers[0] ?? '';
    if (answers.some((answer) => answer !== secret)) {
      throw new UsageError('the two entries differ');
    }
  }
  if (secret === '') throw new UsageError(`the secret from ${source.flag} is empty`);
  return secret;
}

async function readSecretFile(path: string): Promise<string> {
  try {
    return dropNewline(await readFile(path, 'utf8'));
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    throw new CliError('INVALID_INPUT', `cannot read ${path}: ${code}`);
  }
}

async function readAll(io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return dropNewline(Buffer.concat(chunks).toString('utf8'));
}

function dropNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/**
 * Asks each question in turn on the terminal and reads one line for each,
 * without echoing. One readline interface for all of them: a second one would
 * miss lines the first had already buffered (a pasted passphrase and its
 * confirmation arrive in one chunk).
 */
async function prompt(io: CliIo, questions: readonly string[]): Promise<string[]> {
  // readline echoes what it reads to `output`; a sink that drops writes keeps it off screen.
  const muted = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output: muted, terminal: true });
  const lines = rl[Symbol.asyncIterator]();
  const answers: string[] = [];
  try {
    for (const question of questions) {
      io.stderr.write(question);
      const line = await lines.next();
      io.stderr.write('\n');
      if (line.done === true) throw new UsageError('no input');
      answers.push(line.value);
    }
    return answers;
  } finally {
    rl.close();
  }
}
