import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { clientFromEnv, type CustosClient } from '../client.js';
import { EXIT_OK, UsageError, parseCommandArgs, positionals, type Command } from '../command.js';

/** The fields tail shows; records carry more (docs/formats.md), kept as they come with --json. */
const AuditRecordView = z.looseObject({
  seq: z.number(),
  time: z.string(),
  door: z.string(),
  principal: z.string().nullable(),
  operation: z.string(),
  keyId: z.string().nullable(),
  outcome: z.string(),
  errorCode: z.string().nullable(),
  statement: z.string().nullable(),
});
type AuditRecordView = z.infer<typeof AuditRecordView>;

const AuditPage = z.object({
  records: z.array(AuditRecordView),
  nextCursor: z.string().nullable(),
});

type Filters = Record<string, string | undefined>;

export const auditTailCommand: Command = {
  name: ['audit', 'tail'],
  summary: 'Show the newest audit records; with -f, keep following the log',
  usage: [
    'Usage: custos audit tail [-f] [-n N] [--principal P] [--key ID] [--operation OP]',
    '                         [--outcome success|denied|failure] [--interval MS] [--json]',
    '',
    'Reads GET /api/v1/audit (needs custos:ReadAudit). Prints the newest N',
    'records (default 20), oldest first; -f then polls for new ones every',
    'MS milliseconds (default 1000) until interrupted. --json prints each',
    'record as one line of JSON.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      follow: { type: 'boolean', short: 'f', default: false },
      lines: { type: 'string', short: 'n' },
      principal: { type: 'string' },
      key: { type: 'string' },
      operation: { type: 'string' },
      outcome: { type: 'string' },
      interval: { type: 'string' },
    });
    positionals(given, []);
    const lines = count('--lines', values.lines ?? '20', 1, 1000);
    const interval = count('--interval', values.interval ?? '1000', 50, 3_600_000);
    const filters: Filters = {
      principal: values.principal,
      keyId: values.key,
      operation: values.operation,
      outcome: values.outcome,
    };
    const client = clientFromEnv(io.env);
    const show = (record: AuditRecordView) => {
      io.stdout.write(values.json ? `${JSON.stringify(record)}\n` : `${describe(record)}\n`);
    };
    // Listening before the first request: a signal at any point ends following cleanly.
    const stop = new AbortController();
    const onSignal = () => {
      stop.abort();
    };
    if (values.follow) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    try {
      const newest = await page(client, { ...filters, limit: String(lines) });
      for (const record of newest.toReversed()) show(record);
      if (!values.follow) return EXIT_OK;
      const from = newest[0]?.seq ?? (await headSeq(client));
      await follow(client, filters, from, interval, show, stop.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return EXIT_OK;
  },
};

async function follow(
  client: CustosClient,
  filters: Filters,
  fromSeq: number,
  intervalMs: number,
  show: (record: AuditRecordView) => void,
  signal: AbortSignal,
): Promise<void> {
  let after = fromSeq;
  while (!signal.aborted) {
    const records = await page(client, { ...filters, afterSeq: String(after), limit: '1000' });
    for (const record of records) show(record);
    after = records.at(-1)?.seq ?? after;
    // A full page means more are waiting: fetch again at once.
    if (records.length < 1000) {
      await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }
}

async function page(client: CustosClient, query: Filters): Promise<AuditRecordView[]> {
  const out = await client.request('GET', '/api/v1/audit', { query, schema: AuditPage });
  return out.records;
}

/** The newest seq of the whole log (0 when empty): where following starts when nothing matched. */
async function headSeq(client: CustosClient): Promise<number> {
  return (await page(client, { limit: '1' }))[0]?.seq ?? 0;
}

function describe(r: AuditRecordView): string {
  const error = r.errorCode === null ? '' : ` ${r.errorCode}`;
  const statement = r.statement === null ? '' : ` [${r.statement}]`;
  return `${r.time} #${String(r.seq)} ${r.outcome.padEnd(7)} ${r.principal ?? '-'} ${r.door}/${r.operation} ${r.keyId ?? '-'}${error}${statement}`;
}

function count(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer from ${String(min)} to ${String(max)}`);
  }
  return n;
}
