import { readFile } from 'node:fs/promises';
import { publicKeyFromSpki } from '@custos/crypto';
import {
  CliError,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  output,
  parseCommandArgs,
  positionals,
  type Command,
} from '../command.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, configFromFlags } from './config-flags.js';

/** What `verify` prints with --json (the verifier's result, plus the record count for files). */
interface Verdict {
  readonly ok: boolean;
  readonly verifiedThrough: number;
  readonly firstBadSeq: number | null;
  readonly reason: string | null;
  readonly unverifiedTail: { readonly from: number; readonly to: number } | null;
}

export const auditVerifyCommand: Command = {
  name: ['audit', 'verify'],
  summary: 'Verify the audit log offline (hash chain, signed checkpoints, cut tail)',
  usage: [
    'Usage: custos audit verify [--data-dir DIR | --config FILE] [--public-key K] [--json]',
    '       custos audit verify --file F --public-key K [--json]',
    '',
    'Checks every record against its hash and its predecessor, every signed',
    'checkpoint, and that no signed record is missing. The first form reads the',
    "data directory's database read-only (the server may be stopped; no unseal",
    'is needed); the second an export file from `custos audit export`.',
    'K is the audit public key: a PEM or DER file, or base64 DER. With a data',
    'directory the stored key is used unless K is given; for a file K is required:',
    'a key shipped inside the file would prove nothing.',
    '',
    'Exit 0 when the log verifies; 1 naming the first bad sequence number.',
    '',
    'Options:',
    CONFIG_USAGE,
    '  --file F                an export file (JSON lines)',
    '  --public-key K          the trusted audit public key',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      ...CONFIG_OPTIONS,
      file: { type: 'string' },
      'public-key': { type: 'string' },
    });
    positionals(given, []);
    const publicKey =
      values['public-key'] === undefined ? undefined : await readPublicKey(values['public-key']);
    const audit = await import('../../app-audit.js');
    let verdict: Verdict & { records?: number };
    if (values.file !== undefined) {
      if (publicKey === undefined) throw new UsageError('--file needs --public-key');
      verdict = await audit.verifyAuditExport(values.file, publicKey);
    } else {
      const config = await configFromFlags(values, io);
      if (config === undefined) return EXIT_USAGE;
      const { dataDirPaths } = await import('../../app-data-dir.js');
      verdict = await audit.verifyDataDir(dataDirPaths(config), publicKey);
    }
    output(io, values.json, verdict, () => describe(verdict));
    return verdict.ok ? EXIT_OK : EXIT_FAILED;
  },
};

function describe(verdict: Verdict): string {
  if (!verdict.ok) {
    return `audit log FAILED verification at seq ${String(verdict.firstBadSeq)}: ${String(verdict.reason)}\nverified through seq ${String(verdict.verifiedThrough)}`;
  }
  const tail = verdict.unverifiedTail;
  return [
    `audit log verified through seq ${String(verdict.verifiedThrough)}`,
    ...(tail === null
      ? []
      : [
          `seq ${String(tail.from)}–${String(tail.to)} chain correctly but no checkpoint signs them yet`,
        ]),
  ].join('\n');
}

/** A PEM file, a DER file, or base64 DER on the command line, as SPKI DER. */
async function readPublicKey(value: string): Promise<Buffer> {
  let source: Buffer | string;
  try {
    source = await readFile(value);
  } catch {
    source = Buffer.from(value, 'base64');
  }
  const text = source.toString('utf8');
  try {
    const key = publicKeyFromSpki(text.trimStart().startsWith('-----BEGIN') ? text : source);
    return key.export({ format: 'der', type: 'spki' });
  } catch {
    throw new CliError(
      'INVALID_INPUT',
      '--public-key is not a public key (PEM, DER or base64 DER)',
    );
  }
}
