import { KEY_STATES } from '../../core/key.js';
import { clientFromEnv } from '../client.js';
import { EXIT_OK, output, parseCommandArgs, positionals, type Command } from '../command.js';
import { describeKeyList } from '../output.js';
import { integer, oneOf } from './args.js';
import { KeyList } from './views.js';

export const keyListCommand: Command = {
  name: ['key', 'list'],
  summary: 'List keys, one page at a time',
  usage: [
    'Usage: custos key list [--state STATE] [--tag KEY[=VALUE]] [--alias-prefix P]',
    '                       [--limit N] [--cursor C] [--json]',
    '',
    '  --state STATE   Enabled, Disabled, PendingDeletion, PendingImport',
    '  --tag K[=V]     keys with this tag (and value)',
    '  --cursor C      the next page, as printed after the previous one',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      state: { type: 'string' },
      tag: { type: 'string' },
      'alias-prefix': { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
    });
    positionals(given, []);
    const [tagKey, tagValue] = splitTag(values.tag);
    const list = await clientFromEnv(io.env).request('GET', '/api/v1/keys', {
      query: {
        state: oneOf('--state', values.state, KEY_STATES),
        tagKey,
        tagValue,
        aliasPrefix: values['alias-prefix'],
        limit: integer('--limit', values.limit, 1, 1000),
        cursor: values.cursor,
      },
      schema: KeyList,
    });
    output(io, values.json, list, () => describeKeyList(list));
    return EXIT_OK;
  },
};

function splitTag(tag: string | undefined): [string | undefined, string | undefined] {
  if (tag === undefined) return [undefined, undefined];
  const at = tag.indexOf('=');
  return at < 0 ? [tag, undefined] : [tag.slice(0, at), tag.slice(at + 1)];
}
