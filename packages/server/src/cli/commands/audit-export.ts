import {
  CliError,
  EXIT_OK,
  EXIT_USAGE,
  output,
  parseCommandArgs,
  positionals,
  type Command,
} from '../command.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, configFromFlags } from './config-flags.js';

export const auditExportCommand: Command = {
  name: ['audit', 'export'],
  summary: 'Export the audit log as JSON lines (records and signed checkpoints)',
  usage: [
    'Usage: custos audit export [--data-dir DIR | --config FILE] [--out F]',
    '',
    "Writes the data directory's audit log, read-only (the server may be running",
    'or stopped), as JSON lines: a header, then {"record":…} lines in sequence',
    'order with each {"checkpoint":…} after the record it signs (docs/formats.md).',
    'Check it anywhere with `custos audit verify --file F --public-key K`.',
    'Without --out the lines go to stdout; F must not exist yet (created 0600).',
    '',
    'Options:',
    CONFIG_USAGE,
    '  --out F                 write to F instead of stdout',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      ...CONFIG_OPTIONS,
      out: { type: 'string' },
    });
    positionals(given, []);
    const config = await configFromFlags(values, io);
    if (config === undefined) return EXIT_USAGE;
    const { dataDirPaths } = await import('../../app-data-dir.js');
    const audit = await import('../../app-audit.js');
    const paths = dataDirPaths(config);
    if (values.out === undefined) {
      await audit.exportDataDir(paths, io.stdout);
      return EXIT_OK;
    }
    let counts: { records: number; checkpoints: number };
    try {
      counts = await audit.exportDataDirToFile(paths, values.out);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'EEXIST') {
        throw new CliError('ALREADY_EXISTS', `${values.out} exists; not overwriting it`);
      }
      throw error;
    }
    const out = values.out;
    output(
      io,
      values.json,
      { file: out, ...counts },
      () =>
        `wrote ${String(counts.records)} records and ${String(counts.checkpoints)} checkpoints to ${out}`,
    );
    return EXIT_OK;
  },
};
