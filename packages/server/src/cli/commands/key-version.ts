/** PUT /keys/{key}/versions/{version} {state}: take one version out of service, or back. */
import { clientFromEnv } from '../client.js';
import {
  EXIT_OK,
  UsageError,
  output,
  parseCommandArgs,
  positionals,
  type Command,
} from '../command.js';
import { integer, keyPath, required } from './args.js';
import { KeyView } from './views.js';

type VersionState = 'Enabled' | 'Disabled' | 'Compromised';

function versionCommand(
  word: string,
  state: VersionState,
  summary: string,
  final = false,
): Command {
  return {
    name: ['key', 'version', word],
    summary,
    usage: [
      `Usage: custos key version ${word} KEY VERSION${final ? ' --yes' : ''} [--json]`,
      '',
      `${summary}.${final ? ' This cannot be undone, so --yes is required.' : ''}`,
      'The primary version cannot be taken out of service: rotate first.',
    ].join('\n'),
    async run(args, io) {
      const { values, positionals: given } = parseCommandArgs(args, {
        yes: { type: 'boolean', default: false },
      });
      const [key = '', versionText] = positionals(given, ['KEY', 'VERSION']);
      const version = required('VERSION', integer('VERSION', versionText, 1, 0xffffffff));
      if (final && !values.yes)
        throw new UsageError(`marking a version ${state} is final: add --yes`);
      const path = keyPath(key, `/versions/${String(version)}`);
      const view = await clientFromEnv(io.env).request('PUT', path, {
        body: { state },
        schema: KeyView,
      });
      output(
        io,
        values.json,
        view,
        () => `Key ${view.keyId} version ${String(version)} is ${state}`,
      );
      return EXIT_OK;
    },
  };
}

export const keyVersionDisableCommand = versionCommand(
  'disable',
  'Disabled',
  'Disable a key version: it neither encrypts nor decrypts until enabled',
);
export const keyVersionEnableCommand = versionCommand(
  'enable',
  'Enabled',
  'Enable a disabled key version again',
);
export const keyVersionCompromiseCommand = versionCommand(
  'compromise',
  'Compromised',
  'Mark a key version compromised: it never encrypts or decrypts again',
  true,
);
