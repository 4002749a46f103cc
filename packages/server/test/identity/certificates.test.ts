import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  authenticateCertificate,
  createPrincipal,
  deletePrincipal,
  mapCertificate,
  subjectDn,
  unmapCertificate,
} from '../../src/service/identity/index.js';
import { type IdentityHarness, codeOf, makeIdentityKms, user } from './harness.js';

/** A fingerprint as node:tls reports it: upper-case hex bytes joined by colons. */
function fingerprint(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex').toUpperCase();
  return hex.match(/../g)!.join(':');
}

describe('certificate mappings', () => {
  let h: IdentityHarness;
  beforeEach(async () => {
    h = await makeIdentityKms();
    await createPrincipal(h.root, { id: 'service/kmip-client', kind: 'service' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('authenticates a mapped fingerprint, in either notation', async () => {
    const print = fingerprint('a');
    await mapCertificate(h.root, { principal: 'service/kmip-client', fingerprint256: print });
    const principal = await authenticateCertificate(h.kms, { fingerprint256: print });
    expect(principal).toEqual({
      id: 'service/kmip-client',
      kind: 'service',
      policies: [],
      credential: {
        type: 'certificate',
        id: print.replaceAll(':', '').toLowerCase(),
        expiresAt: null,
      },
    });
    const plain = await authenticateCertificate(h.kms, {
      fingerprint256: print.replaceAll(':', '').toLowerCase(),
    });
    expect(plain.id).toBe('service/kmip-client');
  });

  it('falls back to the subject DN when the fingerprint is not mapped', async () => {
    const subject = subjectDn({ O: 'Example', OU: ['a', 'b'], CN: 'billing' });
    expect(subject).toBe('O=Example, OU=a, OU=b, CN=billing');
    await mapCertificate(h.root, { principal: 'service/kmip-client', subject });
    expect(
      (await authenticateCertificate(h.kms, { fingerprint256: fingerprint('renewed'), subject }))
        .id,
    ).toBe('service/kmip-client');
  });

  it('refuses unmapped certificates, and those of deleted principals', async () => {
    expect(await codeOf(authenticateCertificate(h.kms, { fingerprint256: fingerprint('x') }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      await codeOf(
        authenticateCertificate(h.kms, { fingerprint256: fingerprint('x'), subject: 'CN=nobody' }),
      ),
    ).toBe('UNAUTHENTICATED');
    await mapCertificate(h.root, {
      principal: 'service/kmip-client',
      fingerprint256: fingerprint('b'),
    });
    await deletePrincipal(h.root, { id: 'service/kmip-client' });
    expect(await codeOf(authenticateCertificate(h.kms, { fingerprint256: fingerprint('b') }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('unmaps; refuses malformed selectors and unauthorized callers', async () => {
    await mapCertificate(h.root, {
      principal: 'service/kmip-client',
      fingerprint256: fingerprint('c'),
    });
    await unmapCertificate(h.root, { fingerprint256: fingerprint('c') });
    expect(await codeOf(authenticateCertificate(h.kms, { fingerprint256: fingerprint('c') }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await codeOf(unmapCertificate(h.root, { fingerprint256: fingerprint('c') }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(mapCertificate(h.root, { principal: 'service/kmip-client' }))).toBe(
      'INVALID_INPUT',
    );
    expect(
      await codeOf(
        mapCertificate(h.root, { principal: 'service/kmip-client', fingerprint256: 'abcd' }),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      await codeOf(
        mapCertificate(h.root, {
          principal: 'service/kmip-client',
          fingerprint256: fingerprint('d'),
          subject: 'CN=x',
        }),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      await codeOf(
        mapCertificate(h.root, { principal: 'service/ghost', fingerprint256: fingerprint('e') }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      await codeOf(
        mapCertificate(h.as(user('user/x')), {
          principal: 'service/kmip-client',
          fingerprint256: fingerprint('f'),
        }),
      ),
    ).toBe('ACCESS_DENIED');
  });
});
