import { type EncryptionContext, SecretBytes } from '@custos/crypto';
import { type CustosClient, clientFromEnv } from '../client.js';
import { CliError, EXIT_OK, parseCommandArgs, positionals, type Command } from '../command.js';
import { ByteReader } from '../envelope/byte-reader.js';
import { decryptEnvelope } from '../envelope/decrypt-envelope.js';
import { ENVELOPE_MAGIC, hasEnvelopeMagic } from '../envelope/format.js';
import { withProgress } from '../progress.js';
import { keyValues } from './args.js';
import { withCliErrors } from './failures.js';
import { type CryptReport, type CryptResult, reportCrypt } from './crypt-report.js';
import { once, openInput } from './files.js';
import { DecryptResult } from './views.js';

/** Larger than any v1 ciphertext the server accepts (6 KiB), base64 and line breaks included. */
const MAX_DIRECT_INPUT = 16 * 1024;
const CIPHERTEXT_V1 = 0x01;
const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

type Opened = CryptResult;

const DECRYPTED: CryptReport = {
  field: 'plaintext',
  secret: true,
  describe: (opened, bytes, out) =>
    `Decrypted with key ${opened.keyId} (version ${String(opened.keyVersion)}): ${bytes} written to ${out}`,
};

/** POST /decrypt; the plaintext is the caller's to write (and this process's to forget). */
async function decryptOnServer(
  client: CustosClient,
  ciphertext: Buffer,
  context: EncryptionContext | undefined,
  opened: Opened,
): Promise<Buffer> {
  const result = await client.request('POST', '/api/v1/decrypt', {
    body: { ciphertext: ciphertext.toString('base64'), encryptionContext: context },
    schema: DecryptResult,
  });
  Object.assign(opened, { keyId: result.keyId, keyVersion: result.keyVersion });
  return Buffer.from(result.plaintext, 'base64');
}

/**
 * A v1 ciphertext as raw bytes (it starts with 0x01) or as base64 text, as the
 * REST and AWS doors return it: 0x01 is not a base64 character, so the two
 * cannot be confused.
 */
export function v1Ciphertext(input: Buffer): Buffer {
  if (input[0] === CIPHERTEXT_V1) return input;
  const text = input.toString('latin1');
  if (BASE64_TEXT.test(text)) {
    const decoded = Buffer.from(text.replace(/\s+/g, ''), 'base64');
    if (decoded[0] === CIPHERTEXT_V1) return decoded;
  }
  throw new CliError(
    'INVALID_CIPHERTEXT',
    `the input is neither a Custos ciphertext nor a CLI envelope ('${ENVELOPE_MAGIC.toString()}')`,
  );
}

async function direct(
  client: CustosClient,
  reader: ByteReader,
  context: EncryptionContext | undefined,
  opened: Opened,
) {
  const input = await reader.read(MAX_DIRECT_INPUT + 1);
  if (input.length > MAX_DIRECT_INPUT) {
    throw new CliError('INVALID_CIPHERTEXT', 'the input is too large for a v1 ciphertext');
  }
  return once(await decryptOnServer(client, v1Ciphertext(input), context, opened));
}

function envelope(
  client: CustosClient,
  reader: ByteReader,
  context: EncryptionContext | undefined,
  opened: Opened,
) {
  opened.format = 'envelope-v1';
  return decryptEnvelope(reader, {
    unwrapDataKey: async (wrapped, ctx) =>
      SecretBytes.adopt(await decryptOnServer(client, wrapped, ctx, opened)),
    ...(context !== undefined && { context }),
  });
}

export const decryptCommand: Command = {
  name: ['decrypt'],
  summary: 'Decrypt a Custos ciphertext or CLI envelope from stdin or a file',
  usage: [
    'Usage: custos decrypt [--context k=v ...] [--in FILE] [--out FILE] [--json]',
    '',
    'Reads what `custos encrypt` wrote (a v1 ciphertext, raw or base64, or a CLI',
    'envelope) from stdin (or --in) and writes the plaintext to stdout (or --out).',
    'No key id is needed: the ciphertext names its key. An envelope is decrypted as it',
    'streams; if it turns out to be damaged or cut short the command fails (exit 1)',
    'and --out is not created, but stdout may already hold part of the plaintext.',
    '',
    '  --context k=v    the encryption context given to encrypt (repeat)',
    '  --json           print {format, keyId, keyVersion, bytes, out | plaintext(base64)}',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      context: { type: 'string', multiple: true },
      in: { type: 'string' },
      out: { type: 'string' },
    });
    positionals(given, []);
    const context = keyValues('--context', values.context);
    const client = clientFromEnv(io.env);
    const input = await openInput(io, values.in);
    const opened: Opened = { format: 'ciphertext-v1', keyId: '', keyVersion: 0 };
    const reader = new ByteReader(
      withProgress(io, input.source, { label: 'decrypt', total: input.size }),
    );
    await withCliErrors(async () => {
      await reader.fill(ENVELOPE_MAGIC.length);
      const plaintext = hasEnvelopeMagic(reader.peek(ENVELOPE_MAGIC.length))
        ? envelope(client, reader, context, opened)
        : await direct(client, reader, context, opened);
      await reportCrypt(io, values, opened, plaintext, DECRYPTED);
    });
    return EXIT_OK;
  },
};
