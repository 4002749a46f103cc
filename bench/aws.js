// AWS KMS door Encrypt (32 B, through @aws-sdk/client-kms with SigV4) vs
// native REST encrypt (32 B, fetch with a token), one Custos server, one
// key, same run, same concurrency: the AWS door's overhead over the native
// door (target: ratio >= 0.8). The load runs in a child process of this
// file so the clients and the server each get a core; both clients keep
// their connections alive and run CONNECTIONS requests in flight.
import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const DURATION_SECONDS = Number(process.env.BENCH_AWS_SECONDS ?? 6);
const CONNECTIONS = 32;
const SELF = fileURLToPath(import.meta.url);

/** Closed loops: `connections` requests in flight for `duration` seconds; latencies in ms. */
async function closedLoops(send, connections, duration) {
  const latencies = [];
  let errors = 0;
  const end = performance.now() + duration * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      try {
        await send();
        latencies.push(performance.now() - start);
      } catch {
        errors += 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors };
}

async function loadChild(opts) {
  const plaintext = crypto.randomBytes(32);
  let send;
  if (opts.kind === 'aws') {
    const { KMSClient, EncryptCommand } = await import('@aws-sdk/client-kms');
    const { NodeHttpHandler } = await import('@smithy/node-http-handler');
    const client = new KMSClient({
      endpoint: opts.url,
      region: 'us-east-1',
      credentials: opts.credentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({
        httpAgent: new Agent({ keepAlive: true, maxSockets: opts.connections }),
      }),
    });
    send = () => client.send(new EncryptCommand({ KeyId: opts.keyArn, Plaintext: plaintext }));
  } else {
    const body = JSON.stringify({ plaintext: plaintext.toString('base64') });
    send = async () => {
      const response = await fetch(`${opts.url}/api/v1/keys/${opts.keyId}/encrypt`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-custos-token': opts.token },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(String(response.status));
    };
  }
  return closedLoops(send, opts.connections, opts.duration);
}

if (process.argv[2] === '--load') {
  process.once('message', (opts) => {
    loadChild(opts).then(
      (result) => process.send({ result }, () => process.exit(0)),
      (error) => process.send({ error: String(error) }, () => process.exit(1)),
    );
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
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-aws-'));
  const config = configSchema.parse({ dataDir: dir, listen: '127.0.0.1:0' });
  const app = await startApp({ config, stdout: discard(), logDestination: discard() });
  const token = readFileSync(join(dir, 'root-token'), 'utf8').trim();
  const post = async (path, body) => {
    const response = await fetch(`${app.url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custos-token': token },
      body: JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${path} answered ${response.status}`);
    return response.json();
  };
  const key = await post('/keys', { spec: 'AES_256' });
  const credentials = await post('/access-keys', {});
  return {
    common: { url: app.url, connections: CONNECTIONS },
    aws: {
      kind: 'aws',
      keyArn: `arn:aws:kms:us-east-1:111122223333:key/${key.keyId}`,
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
      },
    },
    rest: { kind: 'rest', keyId: key.keyId, token },
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function awsSuite() {
  const custos = await startCustos();
  const run = async (target, duration) => {
    const result = await load({ ...custos.common, ...target, duration });
    if (result.errors > 0) throw new Error(`${target.kind}: ${result.errors} failed requests`);
    return result;
  };
  try {
    // Warm both paths (JIT, key and access-key caches) before measuring.
    await run(custos.aws, 2);
    await run(custos.rest, 2);
    // Alternating rounds, so a machine that gets busier or quieter mid-run
    // weighs on both doors alike.
    const rounds = [];
    for (let i = 0; i < 3; i += 1) {
      rounds.push([
        await run(custos.aws, DURATION_SECONDS / 3),
        await run(custos.rest, DURATION_SECONDS / 3),
      ]);
    }
    const mean = (pick) => rounds.reduce((sum, round) => sum + pick(round), 0) / rounds.length;
    const a = {
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
      name: `aws encrypt 32B c${CONNECTIONS}`,
      opsPerSec: a.rps,
      floorOpsPerSec: r.rps,
      ratio: a.rps / r.rps,
      p50Ms: a.p50,
      p99Ms: a.p99,
      floorP50Ms: r.p50,
      floorP99Ms: r.p99,
    };
    console.log(
      `  ${row.name.padEnd(22)} ${a.rps.toFixed(0).padStart(7)} req/s p50 ${a.p50.toFixed(2)} ms p99 ${a.p99.toFixed(2)} ms` +
        ` | native REST ${r.rps.toFixed(0).padStart(7)} req/s p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms` +
        ` | ratio ${row.ratio.toFixed(2)}`,
    );
    return [row];
  } finally {
    await custos.close();
  }
}

if (process.argv[2] !== '--load' && SELF === process.argv[1]) await awsSuite();
