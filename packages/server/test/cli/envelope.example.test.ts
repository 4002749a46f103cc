/**
 * The worked example of docs/formats.md ("CLI envelope format"), byte for byte: the codec
 * builds the same header and decrypts the documented envelope.
 */
import { SecretBytes, decryptCiphertext, parseCiphertext } from '@custos/crypto';
import { describe, expect, it } from 'vitest';
import { decryptEnvelope } from '../../src/cli/envelope/decrypt-envelope.js';
import { chunkNonce, encodeHeader } from '../../src/cli/envelope/format.js';
import { collect, pieces } from './envelope-helpers.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const WRAPPING_KEY = hex('1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100');
const CONTEXT = { purpose: 'backup' };
const WRAPPED_KEY = hex(`
  01016f1c2a3e4b5d4c7e8f90a1b2c3d4e5f600000007cafebabefacedbaddecaf888
  239f3bdaf7a924cc7df825277b916fb18f1247631808d2be5718e1a21896727b
  a3a0f484f2c701e557d2c7884a8710e2`);
const ENVELOPE = hex(`
  4353454e010100000010a0a1a2a3a4a5a6a7a8a9aaab9d73cee1266c22cd31b4f59deed0a662a015f6005b87
  1d1e3924a578c9521252005201016f1c2a3e4b5d4c7e8f90a1b2c3d4e5f600000007cafebabefacedbaddeca
  f888239f3bdaf7a924cc7df825277b916fb18f1247631808d2be5718e1a21896727ba3a0f484f2c701e557d2
  c7884a8710e28e7d10412ae722dc1716f3bc745aa5b0868fe41532459ce9b9a1b782a59ab28423fbaf08a08a
  6e36037d29327a71d1acbf8cfe1784d3c4`);

describe('CLI envelope worked example (docs/formats.md)', () => {
  it('encodes the documented header', () => {
    const header = encodeHeader({
      chunkSize: 16,
      nonceBase: hex('a0a1a2a3a4a5a6a7a8a9aaab'),
      context: CONTEXT,
      wrappedKey: WRAPPED_KEY,
    });
    expect(header.bytes.length).toBe(138);
    expect(header.bytes.equals(ENVELOPE.subarray(0, 138))).toBe(true);
    expect(chunkNonce(header.nonceBase, 1).toString('hex')).toBe('a0a1a2a3a4a5a6a7a8a9aaaa');
  });

  it('decrypts the documented envelope', async () => {
    const plaintext = await collect(
      decryptEnvelope(pieces(ENVELOPE, [7]), {
        context: CONTEXT,
        unwrapDataKey: async (wrapped, context) => {
          await Promise.resolve();
          const dataKey = decryptCiphertext(WRAPPING_KEY, parseCiphertext(wrapped), context);
          expect(dataKey.toString('hex')).toBe(
            '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
          );
          return SecretBytes.adopt(dataKey);
        },
      }),
    );
    expect(plaintext.toString('utf8')).toBe('hello, custos envelopes');
  });
});
