import { readFileSync } from 'node:fs';
import { publicKeyOfPkcs8 } from '@custos/crypto';
import { describe, expect, it } from 'vitest';
import { chainEncoded, contextValueMac } from '../../src/audit/chain.js';
import {
  auditKeyId,
  checkpointMessage,
  signCheckpoint,
  verifyCheckpoint,
} from '../../src/audit/checkpoint.js';
import { GENESIS_HASH } from '../../src/audit/record.js';

// The worked example of docs/formats.md, "Audit record and checkpoint".
const doc = readFileSync(new URL('../../../../docs/formats.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## Audit record and checkpoint'));

const seed = Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1));
const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
const hmacKey = Buffer.alloc(32, 0x42);
const keyId = '0b5e1c2a-4b5d-4c7e-8f90-a1b2c3d4e5f6';

describe('docs/formats.md audit example', () => {
  const [encoded] = chainEncoded(
    { seq: 0, hash: GENESIS_HASH },
    [
      {
        time: new Date('2026-01-01T12:00:00.000Z'),
        requestId: 'req-1',
        door: 'rest',
        principal: 'user/alice',
        sourceAddress: '192.0.2.7',
        operation: 'encrypt',
        keyId,
        keyVersion: 1,
        outcome: 'success',
        errorCode: null,
        decisions: [
          {
            action: 'kms:Encrypt',
            keyId,
            resource: null,
            allowed: true,
            statement: 'app-keys#AllowEncrypt',
            context: { tenant: 'acme' },
          },
        ],
        durationMs: 0.412,
        ext: null,
      },
    ],
    { mode: 'hmac-sha256', key: hmacKey },
  );

  it('shows the canonical text, hash and context HMAC the code produces', () => {
    expect(section).toContain(`\n${encoded!.text}\n`);
    expect(section).toContain(encoded!.record.hash);
    expect(section).toContain(contextValueMac(hmacKey, 'tenant', 'acme'));
  });

  it('shows the public key, key id, signed text and signature the code produces', () => {
    const spki = publicKeyOfPkcs8(pkcs8);
    const checkpoint = signCheckpoint(
      {
        v: 1,
        kind: 'checkpoint',
        seq: 1,
        hash: encoded!.record.hash,
        time: '2026-01-01T12:00:01.000Z',
        keyId: auditKeyId(spki),
      },
      pkcs8,
    );
    expect(section).toContain(spki.toString('hex'));
    expect(section).toContain(auditKeyId(spki));
    expect(section).toContain(`\n${checkpointMessage(checkpoint).toString('utf8')}\n`);
    expect(section).toContain(checkpoint.signature);
    expect(verifyCheckpoint(checkpoint, spki)).toBe(true);
  });
});
