import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  InvalidCiphertextError,
  KmsError,
  NotFoundError,
} from '../../src/core/errors.js';

describe('error catalogue', () => {
  it('docs/errors.md lists exactly the ErrorCode union, in order', () => {
    const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual([...ERROR_CODES]);
  });

  it('typed errors carry their stable code and class name', () => {
    const e = new NotFoundError('key x does not exist');
    expect(e).toBeInstanceOf(KmsError);
    expect(e.code).toBe('NOT_FOUND');
    expect(e.name).toBe('NotFoundError');
  });

  it('decryption failure has one fixed message that names nothing', () => {
    expect(new InvalidCiphertextError().message).toBe(
      'the ciphertext is invalid or was not made for this key and context',
    );
  });
});
