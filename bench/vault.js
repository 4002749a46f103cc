// Vault Transit encrypt (32 B) vs native REST encrypt (32 B), one Custos
// server, one key, same run: the Vault door's overhead over the native door
// (target: ratio >= 0.8). autocannon runs in a child process of this file so
// the load generator and the server each get a core.
import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const DURATION_SECONDS = Number(process.env.BENCH_VAULT_SECONDS ?? 5);
const CONNECTIONS = 64;
const SELF = fileURLToPath(import.meta.url);

if (process.argv[2] === '--load') {
  process.once('message', (opts) => {
    autocannon({ ...opts, renderProgressBar: false }, (error, result) => {
      process.send(error ? { error: String(error) } : { result }, () =>
        process.exit(error ? 1 : 0),
      );
    });
  });
}

function load(opts) {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ['--load'], { stdio: 'inherit' });
    child.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m.result)));
    child.once('error', reject);
    child.send(opts);
  });
}

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

async function startCustos() {
  const { startApp } = await import('../packages/server/dist/app.js');
  const { configSchema } = await import('../packages/server/dist/ops/config-schema.js');
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-vault-'));
  const config = configSchema.parse({ dataDir: dir, listen: '127.0.0.1:0' });
  const app = await startApp({ config, stdout: discard(), logDestination: discard() });
  const token = readFileSync(join(dir, 'root-token'), 'utf8').trim();
  const created = await fetch(`${app.url}/v1/transit/keys/bench`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-vault-token': token },
    body: JSON.stringify({ type: 'aes256-gcm96' }),
  });
  if (created.status !== 200) throw new Error(`vault create answered ${created.status}`);
  const keyId = (await created.json()).data.custos_key_id;
  return {
    app,
    vault: {
      url: `${app.url}/v1/transit/encrypt/bench`,
      headers: { 'content-type': 'application/json', 'x-vault-token': token },
    },
    rest: {
      url: `${app.url}/api/v1/keys/${keyId}/encrypt`,
      headers: { 'content-type': 'application/json', 'x-custos-token': token },
    },
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function run(target, duration) {
  const result = await load({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: JSON.stringify({ plaintext: crypto.randomBytes(32).toString('base64') }),
    connections: CONNECTIONS,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${target.url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

export async function vaultSuite() {
  const custos = await startCustos();
  try {
    // Warm both paths (JIT, key cache, audit batches) before measuring.
    await run(custos.vault, 2);
    await run(custos.rest, 2);
    // Alternating rounds, so a machine that gets busier or quieter mid-run
    // weighs on both doors alike.
    const rounds = [];
    for (let i = 0; i < 3; i += 1) {
      rounds.push([
        await run(custos.vault, DURATION_SECONDS / 3),
        await run(custos.rest, DURATION_SECONDS / 3),
      ]);
    }
    const mean = (pick) => rounds.reduce((sum, round) => sum + pick(round), 0) / rounds.length;
    const v = {
      rps: mean((x) => x[0].rps),
      p50: mean((x) => x[0].p50),
      p99: mean((x) => x[0].p99),
    };
    const r = {
      rps: mean((x) => x[1].rps),
      p50: mean((x) => x[1].p50),
      p99: mean((x) => x[1].p99),
    };
    const row = {
      name: `vault encrypt 32B c${CONNECTIONS}`,
      opsPerSec: v.rps,
      floorOpsPerSec: r.rps,
      ratio: v.rps / r.rps,
      p50Ms: v.p50,
      p99Ms: v.p99,
      floorP50Ms: r.p50,
      floorP99Ms: r.p99,
    };
    console.log(
      `  ${row.name.padEnd(22)} ${v.rps.toFixed(0).padStart(7)} req/s p50 ${v.p50} ms p99 ${v.p99} ms` +
        ` | native REST ${r.rps.toFixed(0).padStart(7)} req/s p50 ${r.p50} ms p99 ${r.p99} ms` +
        ` | ratio ${row.ratio.toFixed(2)}`,
    );
    return [row];
  } finally {
    await custos.close();
  }
}

if (process.argv[2] !== '--load' && SELF === process.argv[1]) await vaultSuite();
