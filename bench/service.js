// Service operations in process (warm cache) beside the raw node:crypto floor
// doing the same cryptographic work.
import crypto from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_PRINCIPAL } from '../packages/server/dist/core/principal.js';
import { DevFileSeal } from '../packages/server/dist/seal/dev-file-seal.js';
import { Keyring } from '../packages/server/dist/seal/keyring.js';
import * as svc from '../packages/server/dist/service/index.js';
import { openSqliteStore } from '../packages/server/dist/store/sqlite/sqlite-store.js';
import { compare } from './measure.js';

function gcmFloor(key, plaintext) {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]);
}

function gcmOpenFloor(key, blob) {
  const d = crypto.createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
  d.setAuthTag(blob.subarray(blob.length - 16));
  return Buffer.concat([d.update(blob.subarray(12, blob.length - 16)), d.final()]);
}

export async function serviceSuite() {
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-'));
  const store = await openSqliteStore({ path: join(dir, 'custos.db') });
  // The key service's own cost beside the crypto floor; the audit log's cost
  // (a durable write per operation) is measured by its own suite.
  const kms = svc.createKms({ store, keyring: new Keyring(), audit: false });
  await svc.initializeKms(kms, await DevFileSeal.create(join(dir, 'root.key')));
  const ctx = { kms, principal: ROOT_PRINCIPAL, requestId: 'bench' };
  const rows = [];
  const row = async (name, candidate, floor) => {
    const r = await compare(candidate, floor);
    rows.push({ name, ...r });
    console.log(
      `  ${name.padEnd(22)} ${r.opsPerSec.toFixed(0).padStart(9)} ops/s  floor ${r.floorOpsPerSec.toFixed(0).padStart(9)}  ratio ${r.ratio.toFixed(2)}`,
    );
  };
  try {
    const aes = await svc.createKey(ctx, { spec: 'AES_256' });
    const rawKey = crypto.randomBytes(32);
    for (const [label, size] of [
      ['32B', 32],
      ['4KiB', 4096],
    ]) {
      const pt = crypto.randomBytes(size);
      await row(
        `encrypt ${label}`,
        () => svc.encrypt(ctx, { keyId: aes.keyId, plaintext: pt }),
        () => gcmFloor(rawKey, pt),
      );
      const { ciphertext } = await svc.encrypt(ctx, { keyId: aes.keyId, plaintext: pt });
      const floorBlob = gcmFloor(rawKey, pt);
      await row(
        `decrypt ${label}`,
        async () => (await svc.decrypt(ctx, { ciphertext })).plaintext.zero(),
        () => gcmOpenFloor(rawKey, floorBlob),
      );
    }
    await row(
      'generate data key',
      async () =>
        (
          await svc.generateDataKey(ctx, {
            keyId: aes.keyId,
            keySpec: 'AES_256',
            withPlaintext: true,
          })
        ).plaintext?.zero(),
      () => gcmFloor(rawKey, crypto.randomBytes(32)),
    );
    const message = crypto.randomBytes(64);
    for (const [label, spec, algorithm, nodeAlg, keyType, options] of [
      ['ecdsa-p256', 'ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256', 'ec', { namedCurve: 'P-256' }],
      ['ed25519', 'ED25519', 'ED25519_SHA_512', null, 'ed25519', {}],
      [
        'rsa-2048',
        'RSA_2048',
        'RSASSA_PKCS1_V1_5_SHA_256',
        'sha256',
        'rsa',
        { modulusLength: 2048 },
      ],
    ]) {
      const key = await svc.createKey(ctx, { spec, usage: 'SIGN_VERIFY' });
      const { privateKey } = crypto.generateKeyPairSync(keyType, options);
      await row(
        `sign ${label}`,
        () => svc.sign(ctx, { keyId: key.keyId, message, algorithm }),
        () => crypto.sign(nodeAlg, message, privateKey),
      );
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
