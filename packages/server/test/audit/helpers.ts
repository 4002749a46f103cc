import { generateKeyMaterial, keySpec, publicKeyOfPkcs8 } from '@custos/crypto';
import { chainEntries, type ChainHead } from '../../src/audit/chain.js';
import { auditKeyId, signCheckpoint, type AuditCheckpoint } from '../../src/audit/checkpoint.js';
import { GENESIS_HASH, type AuditEntry, type AuditRecord } from '../../src/audit/record.js';

/** An Ed25519 audit key pair: PKCS#8 and SPKI DER. */
export function auditKeyPair(): { privateKey: Buffer; publicKey: Buffer; keyId: string } {
  const pkcs8 = generateKeyMaterial(keySpec('ED25519'));
  const privateKey = Buffer.from(pkcs8.bytes);
  pkcs8.zero();
  const publicKey = publicKeyOfPkcs8(privateKey);
  return { privateKey, publicKey, keyId: auditKeyId(publicKey) };
}

export function entry(i: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    requestId: `req-${i}`,
    door: 'rest',
    principal: 'user/alice',
    sourceAddress: '127.0.0.1',
    operation: i % 2 === 0 ? 'encrypt' : 'decrypt',
    keyId: '00000000-0000-4000-8000-000000000001',
    keyVersion: 1,
    outcome: 'success',
    errorCode: null,
    decisions: [
      {
        action: 'kms:Encrypt',
        keyId: '00000000-0000-4000-8000-000000000001',
        resource: null,
        allowed: true,
        statement: 'app#allow',
        context: { tenant: `t${i}` },
      },
    ],
    durationMs: 0.5,
    ext: null,
    ...overrides,
  };
}

/** `n` chained records from genesis, with a checkpoint at every seq in `checkpointAt`. */
export function makeLog(
  n: number,
  checkpointAt: readonly number[],
  key = auditKeyPair(),
): {
  records: AuditRecord[];
  checkpoints: AuditCheckpoint[];
  key: ReturnType<typeof auditKeyPair>;
} {
  const head: ChainHead = { seq: 0, hash: GENESIS_HASH };
  const entries = Array.from({ length: n }, (_, i) => entry(i + 1));
  const records = chainEntries(head, entries, { mode: 'hmac-sha256', key: Buffer.alloc(32, 7) });
  const checkpoints = checkpointAt.map((seq) =>
    signCheckpoint(
      {
        v: 1,
        kind: 'checkpoint',
        seq,
        hash: records[seq - 1]!.hash,
        time: '2026-01-01T01:00:00.000Z',
        keyId: key.keyId,
      },
      key.privateKey,
    ),
  );
  return { records, checkpoints, key };
}
