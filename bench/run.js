// npm run bench: every suite, one table, and bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { auditSuite } from './audit.js';
import { awsSuite } from './aws.js';
import { restSuite } from './rest.js';
import { serviceSuite } from './service.js';
import { vaultSuite } from './vault.js';

const suites = [
  ['service (in process, warm cache, audit log off) vs raw node:crypto', serviceSuite],
];
suites.push(['vault transit encrypt vs native REST encrypt (same server, same key)', vaultSuite]);
suites.push([
  'AWS KMS Encrypt via @aws-sdk/client-kms vs native REST encrypt (same server, same key)',
  awsSuite,
]);
suites.push(['REST encrypt over loopback (autocannon) vs a bare Fastify AES-GCM route', restSuite]);
suites.push([
  'audit log on vs off: encrypt with 64 in flight (service) and 64 connections (REST)',
  auditSuite,
]);

const results = [];
for (const [title, suite] of suites) {
  console.log(title);
  results.push(...(await suite()));
}

console.log('\nname                     ops/s      floor ops/s  ratio');
for (const r of results) {
  console.log(
    `${r.name.padEnd(22)} ${r.opsPerSec.toFixed(0).padStart(9)}  ${r.floorOpsPerSec.toFixed(0).padStart(12)}  ${r.ratio.toFixed(2)}`,
  );
}
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('latest.json', dir), `${JSON.stringify({ results }, null, 2)}\n`);
console.log('\nwrote bench/results/latest.json');
