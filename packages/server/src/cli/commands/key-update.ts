/** PATCH /keys/{key}: description, rotation period and tags. */
import { clientFromEnv } from '../client.js';
import {
  EXIT_OK,
  UsageError,
  output,
  parseCommandArgs,
  positionals,
  type CliIo,
  type Command,
  type ExitCode,
} from '../command.js';
import { describeKey } from '../output.js';
import { integer, keyPath, keyValues } from './args.js';
import { KeyView } from './views.js';

async function patchKey(
  io: CliIo,
  key: string,
  body: Record<string, unknown>,
  json: boolean,
): Promise<ExitCode> {
  const view = await clientFromEnv(io.env).request('PATCH', keyPath(key), {
    body,
    schema: KeyView,
  });
  output(io, json, view, () => describeKey(view));
  return EXIT_OK;
}

export const keyUpdateCommand: Command = {
  name: ['key', 'update'],
  summary: "Change a key's description or automatic rotation period",
  usage: [
    'Usage: custos key update KEY [--description TEXT]',
    '                             [--rotation-period-days N | --no-rotation] [--json]',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      description: { type: 'string' },
      'rotation-period-days': { type: 'string' },
      'no-rotation': { type: 'boolean', default: false },
    });
    const [key = ''] = positionals(given, ['KEY']);
    const days = integer('--rotation-period-days', values['rotation-period-days'], 1, 36500);
    if (days !== undefined && values['no-rotation']) {
      throw new UsageError('give --rotation-period-days or --no-rotation, not both');
    }
    const rotation = values['no-rotation']
      ? { rotationPeriodDays: null }
      : { rotationPeriodDays: days };
    if (values.description === undefined && rotation.rotationPeriodDays === undefined) {
      throw new UsageError(
        'nothing to change: give --description, --rotation-period-days or --no-rotation',
      );
    }
    return patchKey(io, key, { description: values.description, ...rotation }, values.json);
  },
};

export const keyTagCommand: Command = {
  name: ['key', 'tag'],
  summary: 'Set tags on a key',
  usage: 'Usage: custos key tag KEY k=v [k=v ...] [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [key, ...pairs] = given;
    if (key === undefined) throw new UsageError('missing argument <KEY>');
    const set = keyValues('tag', pairs);
    if (set === undefined) throw new UsageError('give at least one k=v tag');
    return patchKey(io, key, { tags: { set } }, values.json);
  },
};

export const keyUntagCommand: Command = {
  name: ['key', 'untag'],
  summary: 'Remove tags from a key',
  usage: 'Usage: custos key untag KEY TAG-KEY [TAG-KEY ...] [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [key, ...remove] = given;
    if (key === undefined) throw new UsageError('missing argument <KEY>');
    if (remove.length === 0) throw new UsageError('give at least one tag key to remove');
    return patchKey(io, key, { tags: { remove } }, values.json);
  },
};
