import { EXIT_OK, EXIT_USAGE, parseCommandArgs, positionals, type Command } from '../command.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, configFromFlags } from './config-flags.js';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Resolves at the first SIGTERM or SIGINT; a second one ends the process at once. */
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      for (const name of SIGNALS) process.off(name, onSignal);
      for (const name of SIGNALS) {
        process.once(name, () => {
          // The operator insists: stop draining.
          process.exit(1);
        });
      }
      resolve(signal);
    };
    for (const name of SIGNALS) process.on(name, onSignal);
  });
}

export const serverCommand: Command = {
  name: ['server'],
  summary: 'Run the Custos server',
  usage: [
    'Usage: custos server [options]',
    '',
    'Runs the key service. With no configuration: embedded SQLite in',
    './custos-data, the dev-file seal, HTTP on 127.0.0.1:8200. The first start',
    'initialises the data directory, writes the root token to',
    '<data-dir>/root-token (0600) and prints it once. With a passphrase seal',
    '(see `custos init`) the server starts sealed: `custos operator unseal`.',
    '',
    'Options:',
    CONFIG_USAGE,
    '',
    'SIGTERM or SIGINT drains in-flight requests (limits.shutdownTimeoutMs)',
    'and exits 0. docs/configuration.md lists every setting and CUSTOS_* variable.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, CONFIG_OPTIONS);
    positionals(given, []);
    const config = await configFromFlags(values, io);
    if (config === undefined) return EXIT_USAGE;
    const signal = firstSignal();
    // Loaded only here: client commands should not pay for the server's modules.
    const { startApp } = await import('../../app.js');
    const app = await startApp({ config, stdout: io.stdout });
    app.logger.info({ signal: await signal }, 'shutting down');
    await app.stop();
    return EXIT_OK;
  },
};
