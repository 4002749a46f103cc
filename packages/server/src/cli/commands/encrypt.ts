import { type EncryptionContext, SecretBytes } from '@custos/crypto';
import { type CustosClient, clientFromEnv } from '../client.js';
import { CliError, EXIT_OK, parseCommandArgs, positionals, type Command } from '../command.js';
import { ByteReader } from '../envelope/byte-reader.js';
import { type NewDataKey, encryptEnvelope } from '../envelope/encrypt-envelope.js';
import { withProgress } from '../progress.js';
import { keyPath, keyValues, required } from './args.js';
import { withCliErrors } from './failures.js';
import { type CryptReport, type CryptResult, reportCrypt } from './crypt-report.js';
import { once, openInput } from './files.js';
import { DataKeyResult, EncryptResult } from './views.js';

/** Up to this many bytes go to the server as they are; more (or nothing) become an envelope. */
export const DIRECT_LIMIT = 4096;

type Made = CryptResult;

const ENCRYPTED: CryptReport = {
  field: 'ciphertext',
  secret: false,
  describe: (made, bytes, out) => {
    const how = made.format === 'envelope-v1' ? 'as an envelope' : 'as a v1 ciphertext';
    return `Encrypted with key ${made.keyId} (version ${String(made.keyVersion)}) ${how}: ${bytes} written to ${out}`;
  },
};

/** POST /keys/{key}/encrypt for a small input. */
async function encryptDirect(
  client: CustosClient,
  key: string,
  plaintext: Buffer,
  context: EncryptionContext | undefined,
  made: Made,
): Promise<Buffer> {
  const result = await client.request('POST', keyPath(key, '/encrypt'), {
    body: { plaintext: plaintext.toString('base64'), encryptionContext: context },
    schema: EncryptResult,
  });
  Object.assign(made, { keyId: result.keyId, keyVersion: result.keyVersion });
  return Buffer.from(result.ciphertext, 'base64');
}

/** POST /keys/{key}/data-key: a fresh AES-256 data key for one envelope. */
function dataKeySource(client: CustosClient, key: string, made: Made) {
  return async (context: EncryptionContext | undefined): Promise<NewDataKey> => {
    const result = await client.request('POST', keyPath(key, '/data-key'), {
      body: { keySpec: 'AES_256', encryptionContext: context, withPlaintext: true },
      schema: DataKeyResult,
    });
    if (result.plaintext === undefined) {
      throw new CliError('INTERNAL', 'the server returned no plaintext data key');
    }
    Object.assign(made, { keyId: result.keyId, keyVersion: result.keyVersion });
    return {
      dataKey: SecretBytes.adopt(Buffer.from(result.plaintext, 'base64')),
      wrappedKey: Buffer.from(result.ciphertext, 'base64'),
    };
  };
}

export const encryptCommand: Command = {
  name: ['encrypt'],
  summary: 'Encrypt stdin or a file under a key (streamed envelope over 4 KiB)',
  usage: [
    'Usage: custos encrypt --key KEY [--context k=v ...] [--in FILE] [--out FILE] [--json]',
    '',
    'Reads stdin (or --in) and writes the ciphertext to stdout (or --out), as raw bytes.',
    'Up to 4 KiB is encrypted by the server into a Custos v1 ciphertext; larger or empty',
    'input is encrypted here under a fresh data key, streamed in 64 KiB chunks (the',
    'CLI envelope format, docs/formats.md). `custos decrypt` reads both.',
    '',
    '  --key KEY        key id or alias/NAME',
    '  --context k=v    encryption context entry (repeat); decrypt needs the same',
    '  --json           print {format, keyId, keyVersion, bytes, out | ciphertext(base64)}',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      key: { type: 'string' },
      context: { type: 'string', multiple: true },
      in: { type: 'string' },
      out: { type: 'string' },
    });
    positionals(given, []);
    const key = required('--key', values.key);
    const context = keyValues('--context', values.context);
    const client = clientFromEnv(io.env);
    const input = await openInput(io, values.in);
    const made: Made = { format: 'ciphertext-v1', keyId: '', keyVersion: 0 };
    const reader = new ByteReader(
      withProgress(io, input.source, { label: 'encrypt', total: input.size }),
    );
    await withCliErrors(async () => {
      const available = await reader.fill(DIRECT_LIMIT + 1);
      let ciphertext: AsyncIterable<Buffer>;
      if (available > 0 && available <= DIRECT_LIMIT) {
        const plaintext = await reader.read(DIRECT_LIMIT);
        ciphertext = once(await encryptDirect(client, key, plaintext, context, made));
      } else {
        made.format = 'envelope-v1';
        ciphertext = encryptEnvelope(reader, {
          newDataKey: dataKeySource(client, key, made),
          ...(context !== undefined && { context }),
        });
      }
      await reportCrypt(io, values, made, ciphertext, ENCRYPTED);
    });
    return EXIT_OK;
  },
};
