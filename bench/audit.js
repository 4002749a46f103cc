// The cost of the audit log: the same encrypt with the audit log on and off,
// many requests in flight so that group commit has something to group.
// In process (the service, 64 concurrent callers) and over loopback (a real
// server, autocannon at 64 connections). Both compare one service and one
// key against itself: between slices the bench detaches `kms.audit` (which
// audited() then skips) and puts it back, so nothing else differs. Only a
// benchmark may do that; a server always audits.
import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startApp } from '../packages/server/dist/app.js';
import { StoreAuditLog } from '../packages/server/dist/audit/audit-log.js';
import { ROOT_PRINCIPAL } from '../packages/server/dist/core/principal.js';
import { configSchema } from '../packages/server/dist/ops/config-schema.js';
import { DevFileSeal } from '../packages/server/dist/seal/dev-file-seal.js';
import { Keyring } from '../packages/server/dist/seal/keyring.js';
import * as svc from '../packages/server/dist/service/index.js';
import { SqliteAuditAppender } from '../packages/server/dist/store/sqlite/audit-append-worker.js';
import { openSqliteStore } from '../packages/server/dist/store/sqlite/sqlite-store.js';

const IN_FLIGHT = 64;
const SLICE_SECONDS = Number(process.env.BENCH_AUDIT_SLICE_SECONDS ?? 1);
const ROUNDS = 3;
const REST_SECONDS = Number(process.env.BENCH_REST_SECONDS ?? 5);

const now = () => Number(process.hrtime.bigint()) / 1e9;
const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/** Detaches or restores the service's audit log (see the top of this file). */
function auditSwitch(kms) {
  const log = kms.audit;
  return (on) => {
    if (on) kms.audit = log;
    else delete kms.audit;
  };
}

/** Ops/s of `fn` with `inFlight` callers, each starting its next call when the last ends. */
async function concurrently(fn, inFlight, seconds) {
  const end = now() + seconds;
  let ops = 0;
  const start = now();
  const worker = async () => {
    while (now() < end) {
      await fn();
      ops += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { ops, seconds: now() - start };
}

/** Audited and unaudited in alternating slices, so machine noise falls on both alike. */
async function alternate(measureOne, setAudit, rounds) {
  const total = { on: { ops: 0, seconds: 0 }, off: { ops: 0, seconds: 0 } };
  for (let i = 0; i < rounds; i += 1) {
    for (const side of ['on', 'off']) {
      setAudit(side === 'on');
      const r = await measureOne();
      total[side].ops += r.ops;
      total[side].seconds += r.seconds;
    }
  }
  setAudit(true);
  return {
    opsPerSec: total.on.ops / total.on.seconds,
    floorOpsPerSec: total.off.ops / total.off.seconds,
  };
}

async function serviceRow() {
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-audit-'));
  const path = join(dir, 'custos.db');
  const store = await openSqliteStore({ path });
  const keyring = new Keyring();
  // As the server composes it: group commits on a worker thread.
  const audit = new StoreAuditLog({ store, keyring, appender: new SqliteAuditAppender({ path }) });
  const kms = svc.createKms({ store, keyring, audit });
  await svc.initializeKms(kms, await DevFileSeal.create(join(dir, 'root.key')));
  try {
    let n = 0;
    const ctx = () => ({
      kms,
      principal: ROOT_PRINCIPAL,
      requestId: `bench-${n++}`,
      door: 'internal',
    });
    const { keyId } = await svc.createKey(ctx(), { spec: 'AES_256' });
    const plaintext = crypto.randomBytes(32);
    const encrypt = () =>
      svc.encrypt(ctx(), { keyId, plaintext, encryptionContext: { app: 'bench' } });
    const setAudit = auditSwitch(kms);
    await concurrently(encrypt, IN_FLIGHT, 0.5);
    setAudit(false);
    await concurrently(encrypt, IN_FLIGHT, 0.5);
    const r = await alternate(
      () => concurrently(encrypt, IN_FLIGHT, SLICE_SECONDS),
      setAudit,
      ROUNDS,
    );
    const records = (await store.getAuditHead()).last?.seq ?? 0;
    return {
      name: `audit service encrypt x${IN_FLIGHT}`,
      ...r,
      ratio: r.opsPerSec / r.floorOpsPerSec,
      records,
    };
  } finally {
    await kms.audit?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function load(opts) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./load.js', import.meta.url), { stdio: 'inherit' });
    child.once('message', (message) =>
      message.error ? reject(new Error(message.error)) : resolve(message.result),
    );
    child.once('error', reject);
    child.send(opts);
  });
}

async function restRow() {
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-audit-rest-'));
  const config = configSchema.parse({ dataDir: dir, listen: '127.0.0.1:0' });
  const app = await startApp({ config, stdout: discard(), logDestination: discard() });
  try {
    const token = readFileSync(join(dir, 'root-token'), 'utf8').trim();
    const headers = { 'content-type': 'application/json', 'x-custos-token': token };
    const created = await fetch(`${app.url}/api/v1/keys`, { method: 'POST', headers, body: '{}' });
    const { keyId } = await created.json();
    const body = JSON.stringify({ plaintext: crypto.randomBytes(32).toString('base64') });
    const opts = (duration) => ({
      url: `${app.url}/api/v1/keys/${keyId}/encrypt`,
      method: 'POST',
      headers,
      body,
      connections: 64,
      duration,
    });
    const slice = async (duration) => {
      const result = await load(opts(duration));
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`${result.non2xx} non-2xx responses, ${result.errors} errors`);
      }
      return { ops: result.requests.total, seconds: result.duration, p99: result.latency.p99 };
    };
    const setAudit = auditSwitch(app.http.kms);
    await slice(2);
    const r = await alternate(() => slice(REST_SECONDS / 2), setAudit, 2);
    return { name: 'audit rest encrypt c64', ...r, ratio: r.opsPerSec / r.floorOpsPerSec };
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function auditSuite() {
  const rows = [await serviceRow(), await restRow()];
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(28)} audited ${r.opsPerSec.toFixed(0).padStart(7)} ops/s` +
        `  unaudited ${r.floorOpsPerSec.toFixed(0).padStart(7)} ops/s  ratio ${r.ratio.toFixed(2)}`,
    );
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await auditSuite();
