// The AWS KMS door's cost over the native REST door, for Encrypt of 32 bytes
// on one Custos server (in this process), one key, same run, same load.
//
// What it measures, and what it does not:
//
// 1. "aws door" (the ratio that counts, target >= 0.8): the server's
//    throughput on each door under the same load generator, autocannon in a
//    child process (the one bench/rest.js uses), 32 connections, rounds
//    alternating between the doors. The AWS requests are real SigV4
//    requests signed by @smithy/signature-v4 (the AWS SDK's own signer) over
//    the exact body; the generator replays one signed request per round
//    (SigV4 allows that within 5 minutes, and each round is signed afresh),
//    so the server verifies a signature, parses awsJson1_1 and renders the
//    AWS response on every request, while the client costs the same as for
//    REST. Also reported: the server's CPU time per request on each door
//    (process.cpuUsage of this process, which holds the server and is
//    otherwise idle, over each round), which does not depend on how busy
//    the machine is.
// 2. "aws sdk" (informational, not the target): end to end with real
//    clients, @aws-sdk/client-kms against fetch() to REST, each in its own
//    child process with 32 requests in flight. On a small machine both
//    clients saturate their core long before the server does (the SDK's
//    middleware stack and per-request signing cost far more than the
//    server's work), so this ratio is mostly the clients' cost; each
//    client's CPU per request is printed to show it.
import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const DURATION_SECONDS = Number(process.env.BENCH_AWS_SECONDS ?? 6);
const ROUNDS = 3;
const CONNECTIONS = 32;
const SELF = fileURLToPath(import.meta.url);
const LOAD = new URL('./load.js', import.meta.url);
const REGION = 'us-east-1';

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
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  const at = (q) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    rps: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    clientCpuUs: (used.user + used.system) / Math.max(1, latencies.length),
  };
}

async function sdkChild(opts) {
  const plaintext = crypto.randomBytes(32);
  let send;
  if (opts.kind === 'aws') {
    const { KMSClient, EncryptCommand } = await import('@aws-sdk/client-kms');
    const { NodeHttpHandler } = await import('@smithy/node-http-handler');
    const client = new KMSClient({
      endpoint: opts.url,
      region: REGION,
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

if (process.argv[2] === '--sdk-load') {
  process.once('message', (opts) => {
    sdkChild(opts).then(
      (result) => process.send({ result }, () => process.exit(0)),
      (error) => process.send({ error: String(error) }, () => process.exit(1)),
    );
  });
}

/** Runs a child (autocannon's load.js, or this file's SDK loop) and returns its result. */
function child(module, args, opts) {
  return new Promise((resolve, reject) => {
    const forked = fork(module, args, { stdio: 'inherit' });
    forked.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m.result)));
    forked.once('error', reject);
    forked.send(opts);
  });
}

/** SHA-256 and HMAC for the signer, on node:crypto. */
class Sha256 {
  constructor(secret) {
    this.hash =
      secret === undefined ? crypto.createHash('sha256') : crypto.createHmac('sha256', secret);
  }
  update(data) {
    this.hash.update(typeof data === 'string' ? Buffer.from(data) : data);
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** One Encrypt request signed now with SigV4, as the AWS SDK signs it. */
async function signedEncrypt(url, credentials, keyArn) {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { host } = new URL(url);
  const body = JSON.stringify({
    KeyId: keyArn,
    Plaintext: crypto.randomBytes(32).toString('base64'),
  });
  const signer = new SignatureV4({ service: 'kms', region: REGION, sha256: Sha256, credentials });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: host,
    path: '/',
    headers: {
      host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'TrentService.Encrypt',
    },
    body,
  });
  return { method: 'POST', headers: signed.headers, body };
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
  const access = await post('/access-keys', {});
  const credentials = {
    accessKeyId: access.accessKeyId,
    secretAccessKey: access.secretAccessKey,
  };
  const keyArn = `arn:aws:kms:${REGION}:111122223333:key/${key.keyId}`;
  return {
    url: app.url,
    keyId: key.keyId,
    keyArn,
    credentials,
    token,
    restRequest: {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-custos-token': token },
      body: JSON.stringify({ plaintext: crypto.randomBytes(32).toString('base64') }),
    },
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One autocannon round on a door, with the server's CPU time per answered request. */
async function doorRound(custos, door, duration) {
  const request =
    door === 'aws'
      ? {
          url: `${custos.url}/`,
          ...(await signedEncrypt(custos.url, custos.credentials, custos.keyArn)),
        }
      : { url: `${custos.url}/api/v1/keys/${custos.keyId}/encrypt`, ...custos.restRequest };
  const cpu = process.cpuUsage();
  const result = await child(LOAD, [], { ...request, connections: CONNECTIONS, duration });
  const used = process.cpuUsage(cpu);
  const answered = result.requests.total;
  if (result.non2xx > 0 || result.errors > 0 || answered === 0) {
    throw new Error(`${door}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return {
    rps: answered / duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    serverCpuUs: (used.user + used.system) / answered,
  };
}

async function sdkRound(custos, kind, duration) {
  const target =
    kind === 'aws'
      ? { kind, keyArn: custos.keyArn, credentials: custos.credentials }
      : { kind, keyId: custos.keyId, token: custos.token };
  const result = await child(SELF, ['--sdk-load'], {
    url: custos.url,
    connections: CONNECTIONS,
    duration,
    ...target,
  });
  if (result.errors > 0) throw new Error(`${kind}: ${result.errors} failed requests`);
  return result;
}

/** Alternating rounds, so a machine that gets busier or quieter mid-run weighs on both alike. */
async function alternate(round, seconds) {
  await round('aws', 2);
  await round('rest', 2);
  const rounds = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    rounds.push([await round('aws', seconds / ROUNDS), await round('rest', seconds / ROUNDS)]);
  }
  const mean = (side, field) =>
    rounds.reduce((sum, pair) => sum + pair[side][field], 0) / rounds.length;
  const summary = (side) =>
    Object.fromEntries(Object.keys(rounds[0][side]).map((field) => [field, mean(side, field)]));
  return { aws: summary(0), rest: summary(1) };
}

const fmt = (x) =>
  `${x.rps.toFixed(0).padStart(6)} req/s p50 ${x.p50.toFixed(2)} ms p99 ${x.p99.toFixed(2)} ms`;

export async function awsSuite() {
  const custos = await startCustos();
  try {
    const door = await alternate((d, s) => doorRound(custos, d, s), DURATION_SECONDS);
    const sdk = await alternate((k, s) => sdkRound(custos, k, s), DURATION_SECONDS);
    const rows = [
      {
        name: `aws door encrypt 32B c${CONNECTIONS}`,
        opsPerSec: door.aws.rps,
        floorOpsPerSec: door.rest.rps,
        ratio: door.aws.rps / door.rest.rps,
        p50Ms: door.aws.p50,
        p99Ms: door.aws.p99,
        floorP50Ms: door.rest.p50,
        floorP99Ms: door.rest.p99,
        serverCpuUsPerRequest: door.aws.serverCpuUs,
        floorServerCpuUsPerRequest: door.rest.serverCpuUs,
        cpuRatio: door.rest.serverCpuUs / door.aws.serverCpuUs,
      },
      {
        name: `aws sdk encrypt 32B c${CONNECTIONS} (clients, informational)`,
        opsPerSec: sdk.aws.rps,
        floorOpsPerSec: sdk.rest.rps,
        ratio: sdk.aws.rps / sdk.rest.rps,
        p50Ms: sdk.aws.p50,
        p99Ms: sdk.aws.p99,
        floorP50Ms: sdk.rest.p50,
        floorP99Ms: sdk.rest.p99,
        clientCpuUsPerRequest: sdk.aws.clientCpuUs,
        floorClientCpuUsPerRequest: sdk.rest.clientCpuUs,
      },
    ];
    console.log(
      `  aws door (autocannon) ${fmt(door.aws)} server ${door.aws.serverCpuUs.toFixed(0)} µs CPU/req` +
        ` | native REST ${fmt(door.rest)} server ${door.rest.serverCpuUs.toFixed(0)} µs CPU/req` +
        ` | ratio ${rows[0].ratio.toFixed(2)} (CPU ${rows[0].cpuRatio.toFixed(2)})`,
    );
    console.log(
      `  aws sdk client        ${fmt(sdk.aws)} client ${sdk.aws.clientCpuUs.toFixed(0)} µs CPU/req` +
        ` | fetch to REST ${fmt(sdk.rest)} client ${sdk.rest.clientCpuUs.toFixed(0)} µs CPU/req` +
        ` | ratio ${rows[1].ratio.toFixed(2)}`,
    );
    return rows;
  } finally {
    await custos.close();
  }
}

if (process.argv[2] !== '--sdk-load' && SELF === process.argv[1]) await awsSuite();
