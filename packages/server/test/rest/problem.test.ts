import { SecretBytes } from '@custos/crypto';
import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  KmsError,
  SealedError,
  ThrottledError,
  UnauthenticatedError,
} from '../../src/core/errors.js';
import { encryptOperation } from '../../src/protocols/rest/crypto-routes.js';
import { secretToBase64 } from '../../src/protocols/rest/json.js';
import { restErrorHandler, toProblem } from '../../src/protocols/rest/problem.js';
import { makeKms } from '../support/kms-harness.js';

describe('toProblem', () => {
  it('keeps service messages and maps codes to statuses', () => {
    expect(toProblem(new SealedError('the server is sealed'), 'r1')).toEqual({
      type: 'https://custos.dev/errors/SEALED',
      title: 'Sealed',
      status: 503,
      code: 'SEALED',
      detail: 'the server is sealed',
      requestId: 'r1',
    });
  });

  it('never shows the message of an INTERNAL KmsError or of a foreign error', () => {
    const internal = toProblem(new KmsError('INTERNAL', 'integrity check of row 7'), 'r');
    expect(internal.detail).toBe('an unexpected error occurred');
    const foreign = toProblem(new TypeError('plaintext=hunter2'), 'r');
    expect(foreign).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(JSON.stringify(foreign)).not.toContain('hunter2');
  });
});

describe('restErrorHandler', () => {
  async function answer(error: Error, logs?: string[]) {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs?.push(chunk.toString());
        done();
      },
    });
    const app = Fastify({ logger: { stream, level: 'error' } });
    app.setErrorHandler(restErrorHandler);
    app.get('/', () => Promise.reject(error));
    try {
      return await app.inject({ url: '/' });
    } finally {
      await app.close();
    }
  }

  it('401 carries WWW-Authenticate; 429 carries Retry-After from the error', async () => {
    const unauthenticated = await answer(new UnauthenticatedError('no credential'));
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['www-authenticate']).toBe('Bearer');
    const throttled = await answer(
      new ThrottledError('slow down', { details: { retryAfterSeconds: 1.2 } }),
    );
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers['retry-after']).toBe('2');
  });

  it('logs an unexpected error by name and frames, never its message', async () => {
    const logs: string[] = [];
    const res = await answer(new RangeError('token s.abcdef and plaintext c2VjcmV0'), logs);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('s.abcdef');
    const logged = logs.join('');
    expect(logged).toContain('RangeError');
    expect(logged).not.toContain('s.abcdef');
    expect(logged).not.toContain('c2VjcmV0');
  });
});

describe('secret handling', () => {
  it('secretToBase64 zeroes the holder after rendering', () => {
    const secret = SecretBytes.copyOf(Buffer.from('key material'));
    expect(secretToBase64(secret)).toBe(Buffer.from('key material').toString('base64'));
    expect(secret.isZeroed).toBe(true);
  });

  it('the encrypt operation zeroes the decoded plaintext, also when encryption fails', async () => {
    const h = await makeKms();
    try {
      const plaintext = Buffer.from('plaintext bytes');
      await expect(
        encryptOperation.run(h.ctx, { keyId: 'alias/none', plaintext }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(plaintext.every((b) => b === 0)).toBe(true);
    } finally {
      await h.close();
    }
  });
});
