import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { censor, createLogger, isSecretKey } from '../../src/ops/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('logger redaction', () => {
  it('censors credentials and secret fields at any depth, keeps ciphertext', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        plaintext: 'PLAIN-0',
        ciphertext: 'CIPHER-OK',
        input: {
          token: 'TOKEN-1',
          nested: { secret: 'SECRET-2', list: [{ passphrase: 'PASS-3' }] },
        },
        req: { headers: { authorization: 'Bearer AUTH-4', 'X-Custos-Token': 'TOKEN-5' } },
        out: { privateKeyPlaintext: 'PRIV-6', PrivateKeyDer: 'PRIV-7', secretAccessKey: 'AKS-8' },
        headers: { cookie: 'COOKIE-9', 'x-vault-token': 'VAULT-10' },
      },
      'request',
    );
    const text = lines.join('');
    for (const secret of [
      'PLAIN-0',
      'TOKEN-1',
      'SECRET-2',
      'PASS-3',
      'AUTH-4',
      'TOKEN-5',
      'PRIV-6',
      'PRIV-7',
      'AKS-8',
      'COOKIE-9',
      'VAULT-10',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('CIPHER-OK');
    expect(text).toContain('[redacted]');
    expect(JSON.parse(text)).toMatchObject({ level: 30, service: 'custos', msg: 'request' });
  });

  it('leaves objects without secrets uncopied', () => {
    const value = { a: 1, b: { c: [1, 2] } };
    expect(censor(value)).toBe(value);
  });

  it('does not walk class instances or cycles forever', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(() => censor(cyclic)).not.toThrow();
    const instance = new (class Thing {
      token = 'left to its serializer';
    })();
    expect(censor({ instance })).toEqual({ instance });
  });

  it('names secret keys case-insensitively', () => {
    expect(isSecretKey('Authorization')).toBe(true);
    expect(isSecretKey('privateKeyPem')).toBe(true);
    expect(isSecretKey('ciphertext')).toBe(false);
    expect(isSecretKey('keyId')).toBe(false);
  });
});
