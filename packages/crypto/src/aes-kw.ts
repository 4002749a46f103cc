import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CryptoError } from './errors.js';

// RFC 3394 §2.2.3.1 default IV and RFC 5649 §3 alternative IV prefix.
const KW_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const KWP_IV = Buffer.from('a65959a6', 'hex');

function cipherName(kek: Uint8Array, pad: boolean): string {
  if (kek.length !== 16 && kek.length !== 24 && kek.length !== 32) {
    throw new CryptoError('INVALID_KEY', 'AES key-encryption key must be 16, 24 or 32 bytes');
  }
  return `id-aes${String(kek.length * 8)}-wrap${pad ? '-pad' : ''}`;
}

function run(encrypt: boolean, pad: boolean, kek: Uint8Array, input: Uint8Array): Buffer {
  const name = cipherName(kek, pad);
  const iv = pad ? KWP_IV : KW_IV;
  try {
    const c = encrypt ? createCipheriv(name, kek, iv) : createDecipheriv(name, kek, iv);
    return Buffer.concat([c.update(input), c.final()]);
  } catch {
    throw encrypt
      ? new CryptoError('INVALID_INPUT', 'key wrap input has an invalid length')
      : new CryptoError('INVALID_CIPHERTEXT', 'key unwrap failed');
  }
}

/** RFC 3394 AES key wrap; `key` must be a multiple of 8 bytes, at least 16. */
export function aesKeyWrap(kek: Uint8Array, key: Uint8Array): Buffer {
  if (key.length < 16 || key.length % 8 !== 0) {
    throw new CryptoError('INVALID_INPUT', 'RFC 3394 wraps multiples of 8 bytes, at least 16');
  }
  return run(true, false, kek, key);
}

/** RFC 3394 AES key unwrap; integrity failure is INVALID_CIPHERTEXT. */
export function aesKeyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer {
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) {
    throw new CryptoError('INVALID_CIPHERTEXT', 'key unwrap failed');
  }
  return run(false, false, kek, wrapped);
}

/** RFC 5649 AES key wrap with padding; any key length from 1 byte. */
export function aesKeyWrapPad(kek: Uint8Array, key: Uint8Array): Buffer {
  if (key.length === 0) throw new CryptoError('INVALID_INPUT', 'nothing to wrap');
  return run(true, true, kek, key);
}

/** RFC 5649 AES key unwrap with padding. */
export function aesKeyUnwrapPad(kek: Uint8Array, wrapped: Uint8Array): Buffer {
  if (wrapped.length < 16 || wrapped.length % 8 !== 0) {
    throw new CryptoError('INVALID_CIPHERTEXT', 'key unwrap failed');
  }
  return run(false, true, kek, wrapped);
}
