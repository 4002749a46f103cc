// REST encrypt (32 B) over loopback: a real Custos server (startApp, SQLite,
// dev-file seal, root token, every protection plugin the config turns on)
// beside a bare Fastify route doing the same JSON + base64 + AES-256-GCM on an
// in-memory key. autocannon runs in a child process so server and load
// generator each get a core.
import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { startApp } from '../packages/server/dist/app.js';
import { configSchema } from '../packages/server/dist/ops/config-schema.js';

const DURATION_SECONDS = Number(process.env.BENCH_REST_SECONDS ?? 8);
const CONNECTIONS = [64, 256];
const ROUNDS = 8;

const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });

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

async function startCustos() {
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-rest-'));
  const config = configSchema.parse({ dataDir: dir, listen: '127.0.0.1:0' });
  const app = await startApp({ config, stdout: discard(), logDestination: discard() });
  const token = readFileSync(join(dir, 'root-token'), 'utf8').trim();
  const headers = { 'content-type': 'application/json', 'x-custos-token': token };
  const created = await fetch(`${app.url}/api/v1/keys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ spec: 'AES_256' }),
  });
  if (created.status !== 201)
    throw new Error(`createKey answered ${created.status}: ${await created.text()}`);
  const { keyId } = await created.json();
  return {
    url: `${app.url}/api/v1/keys/${keyId}/encrypt`,
    headers,
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The floor: what any Fastify JSON route doing this AES-GCM costs. */
async function startFloor() {
  const key = crypto.randomBytes(32);
  const app = Fastify({ logger: false });
  app.post('/encrypt', (request) => {
    const plaintext = Buffer.from(request.body.plaintext, 'base64');
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([
      iv,
      cipher.update(plaintext),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return { ciphertext: ciphertext.toString('base64') };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `${url}/encrypt`,
    headers: { 'content-type': 'application/json' },
    close: () => app.close(),
  };
}

async function run(target, connections, duration) {
  // Server-side CPU per request: robust to a busy machine, where req/s is not.
  const cpuBefore = process.cpuUsage();
  const result = await load({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: JSON.stringify({ plaintext: crypto.randomBytes(32).toString('base64') }),
    connections,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${target.url}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUsPerRequest: (cpu.user + cpu.system) / result.requests.total,
  };
}

/**
 * Runs custos and the floor in alternating slices (ROUNDS of each, adding up
 * to DURATION_SECONDS apiece, which goes first swapping every round) so that
 * load from other processes on this machine, and its drift, fall on both
 * alike. Throughput is total requests over total time; p50/p99 are the mean
 * of the slices' percentiles. The ratios are the median over rounds of each
 * round's pair of adjacent slices: on a shared 2-core machine a burst of
 * other work can halve one slice, and total-over-total ratios of two runs
 * were 0.2 apart where the paired medians agreed.
 */
async function measure(custos, floor, connections) {
  const slices = { c: [], f: [] };
  const slice = DURATION_SECONDS / ROUNDS;
  for (let i = 0; i < ROUNDS; i += 1) {
    const order = i % 2 === 0 ? ['c', 'f'] : ['f', 'c'];
    for (const which of order) {
      slices[which].push(await run(which === 'c' ? custos : floor, connections, slice));
    }
  }
  const combine = (runs) => ({
    rps: runs.reduce((n, r) => n + r.requests, 0) / runs.reduce((n, r) => n + r.seconds, 0),
    p50: mean(runs.map((r) => r.p50)),
    p99: mean(runs.map((r) => r.p99)),
    cpuUsPerRequest: mean(runs.map((r) => r.cpuUsPerRequest)),
  });
  const rate = (r) => r.requests / r.seconds;
  const paired = slices.c.map((c, i) => ({
    ratio: rate(c) / rate(slices.f[i]),
    p99Ratio: c.p99 / slices.f[i].p99,
  }));
  return {
    c: combine(slices.c),
    f: combine(slices.f),
    ratios: paired.map((p) => p.ratio),
    ratio: median(paired.map((p) => p.ratio)),
    p99Ratio: median(paired.map((p) => p.p99Ratio)),
  };
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function restSuite() {
  const custos = await startCustos();
  const floor = await startFloor();
  const rows = [];
  try {
    // Warm JIT, key cache and connection pools on both before measuring.
    await run(custos, 64, 2);
    await run(floor, 64, 2);
    for (const connections of CONNECTIONS) {
      const { c, f, ratio, p99Ratio, ratios } = await measure(custos, floor, connections);
      const row = {
        name: `rest encrypt 32B c${connections}`,
        opsPerSec: c.rps,
        floorOpsPerSec: f.rps,
        ratio,
        totalRatio: c.rps / f.rps,
        roundRatios: ratios,
        p50Ms: c.p50,
        p99Ms: c.p99,
        floorP50Ms: f.p50,
        floorP99Ms: f.p99,
        p99Ratio,
        cpuUsPerRequest: c.cpuUsPerRequest,
        floorCpuUsPerRequest: f.cpuUsPerRequest,
      };
      rows.push(row);
      console.log(
        `  ${row.name.padEnd(22)} ${c.rps.toFixed(0).padStart(7)} req/s p50 ${c.p50.toFixed(1)} ms p99 ${c.p99.toFixed(1)} ms` +
          ` | floor ${f.rps.toFixed(0).padStart(7)} req/s p50 ${f.p50.toFixed(1)} ms p99 ${f.p99.toFixed(1)} ms` +
          ` | ratio ${row.ratio.toFixed(2)} (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}, totals ${row.totalRatio.toFixed(2)}), p99 ${row.p99Ratio.toFixed(2)}x` +
          ` | CPU/req ${c.cpuUsPerRequest.toFixed(0)} µs vs ${f.cpuUsPerRequest.toFixed(0)} µs`,
      );
    }
  } finally {
    await custos.close();
    await floor.close();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await restSuite();
