import { z } from 'zod';
import { clientFromEnv } from '../client.js';
import { EXIT_OK, output, parseCommandArgs, positionals, table, type Command } from '../command.js';

/** GET /api/v1/sys/status (docs/rest-api.md). */
export const SealStatusView = z.object({
  initialized: z.boolean(),
  sealed: z.boolean(),
  sealType: z.string().nullable(),
  version: z.string(),
});
export type SealStatusView = z.infer<typeof SealStatusView>;

/** Human form of a seal status, shared with `custos operator seal|unseal`. */
export function describeStatus(status: SealStatusView): string {
  return table([
    ['Initialized', status.initialized],
    ['Sealed', status.sealed],
    ['Seal type', status.sealType ?? '-'],
    ['Version', status.version],
  ]);
}

export const statusCommand: Command = {
  name: ['status'],
  summary: 'Show whether the server is initialised and sealed',
  usage: [
    'Usage: custos status [--json]',
    '',
    'Asks the server at CUSTOS_ADDR for its seal status. Needs no token.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    positionals(given, []);
    const status = await clientFromEnv(io.env).request('GET', '/api/v1/sys/status', {
      schema: SealStatusView,
    });
    output(io, values.json, status, () => describeStatus(status));
    return EXIT_OK;
  },
};
