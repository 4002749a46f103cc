/** The key commands that change its lifecycle: POST /keys/{key}/<action> → KeyView. */
import { clientFromEnv } from '../client.js';
import { EXIT_OK, output, parseCommandArgs, positionals, type Command } from '../command.js';
import { integer, keyPath } from './args.js';
import { KeyView } from './views.js';

interface Lifecycle {
  readonly action: string;
  readonly summary: string;
  readonly done: (key: KeyView) => string;
}

function lifecycleCommand({ action, summary, done }: Lifecycle): Command {
  return {
    name: ['key', action],
    summary,
    usage: `Usage: custos key ${action} KEY [--json]\n\n${summary}. KEY is a key id or alias/NAME.`,
    async run(args, io) {
      const { values, positionals: given } = parseCommandArgs(args, {});
      const [key = ''] = positionals(given, ['KEY']);
      const view = await clientFromEnv(io.env).request('POST', keyPath(key, `/${action}`), {
        schema: KeyView,
      });
      output(io, values.json, view, () => done(view));
      return EXIT_OK;
    },
  };
}

export const keyEnableCommand = lifecycleCommand({
  action: 'enable',
  summary: 'Enable a disabled key',
  done: (key) => `Key ${key.keyId} is ${key.state}`,
});

export const keyDisableCommand = lifecycleCommand({
  action: 'disable',
  summary: 'Disable a key: no operation may use it until it is enabled',
  done: (key) => `Key ${key.keyId} is ${key.state}`,
});

export const keyRotateCommand = lifecycleCommand({
  action: 'rotate',
  summary: 'Add a key version and make it primary; older versions still decrypt',
  done: (key) => `Key ${key.keyId} rotated: primary version is now ${String(key.primaryVersion)}`,
});

export const keyCancelDeletionCommand = lifecycleCommand({
  action: 'cancel-deletion',
  summary: 'Cancel a scheduled deletion (the key comes back disabled)',
  done: (key) => `Deletion of key ${key.keyId} cancelled; it is ${key.state}`,
});

export const keyScheduleDeletionCommand: Command = {
  name: ['key', 'schedule-deletion'],
  summary: 'Schedule a key for deletion after a waiting period (7-30 days)',
  usage: [
    'Usage: custos key schedule-deletion KEY [--days N] [--json]',
    '',
    'The key cannot be used from now on; it is destroyed when the period ends unless',
    '`custos key cancel-deletion` is run first. --days is 7-30 (server default: 30).',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, { days: { type: 'string' } });
    const [key = ''] = positionals(given, ['KEY']);
    const pendingWindowDays = integer('--days', values.days, 7, 30);
    const view = await clientFromEnv(io.env).request('POST', keyPath(key, '/schedule-deletion'), {
      body: { pendingWindowDays },
      schema: KeyView,
    });
    output(io, values.json, view, () => {
      return `Key ${view.keyId} is ${view.state}; it will be deleted on ${view.deletionDate ?? '?'}`;
    });
    return EXIT_OK;
  },
};
