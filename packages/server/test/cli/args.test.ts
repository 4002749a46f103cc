/** Argument parsing of the client commands: helpers, and exit code 2 for every misuse. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { aliasName, integer, keyPath, keyValues, oneOf } from '../../src/cli/commands/args.js';
import { v1Ciphertext } from '../../src/cli/commands/decrypt.js';
import { line } from '../../src/cli/progress.js';
import { runCli } from './cli-harness.js';

describe('argument helpers', () => {
  it('parses repeated k=v flags, splitting at the first =', () => {
    expect(keyValues('--context', ['a=1', 'b=x=y', 'c='])).toEqual({ a: '1', b: 'x=y', c: '' });
    expect(keyValues('--context', undefined)).toBeUndefined();
    expect(() => keyValues('--context', ['novalue'])).toThrow(UsageError);
    expect(() => keyValues('--context', ['=v'])).toThrow(UsageError);
    expect(() => keyValues('--context', ['a=1', 'a=2'])).toThrow(/gives 'a' twice/);
  });

  it('parses whole numbers within bounds only', () => {
    expect(integer('N', '32', 1, 1024)).toBe(32);
    expect(integer('N', undefined, 1, 1024)).toBeUndefined();
    for (const bad of ['0', '1025', '-1', '1.5', '1e3', ' 3', 'abc', '']) {
      expect(() => integer('N', bad, 1, 1024)).toThrow(UsageError);
    }
  });

  it('matches words case-insensitively and returns the canonical spelling', () => {
    expect(oneOf('--spec', 'aes_128', ['AES_256', 'AES_128'] as const)).toBe('AES_128');
    expect(() => oneOf('--spec', 'AES_512', ['AES_256'] as const)).toThrow(/one of AES_256/);
  });

  it('encodes keys and aliases into paths', () => {
    expect(keyPath('alias/app', '/encrypt')).toBe('/api/v1/keys/alias%2Fapp/encrypt');
    expect(aliasName('app')).toBe('alias/app');
    expect(aliasName('alias/app')).toBe('alias/app');
  });

  it('tells a raw v1 ciphertext from base64 text', () => {
    const raw = Buffer.concat([Buffer.from([1, 1]), Buffer.alloc(48, 7)]);
    expect(v1Ciphertext(raw).equals(raw)).toBe(true);
    expect(v1Ciphertext(Buffer.from(` ${raw.toString('base64')}\r\n`)).equals(raw)).toBe(true);
    expect(() => v1Ciphertext(Buffer.from('not a ciphertext!'))).toThrow(/neither/);
    expect(() => v1Ciphertext(Buffer.from('aGVsbG8='))).toThrow(/neither/);
  });

  it('renders a progress line with and without a known total', () => {
    expect(line('encrypt', 512, 1024, 1000)).toBe(
      'encrypt [############------------]  50% 512 B / 1.0 KiB 512 B/s',
    );
    expect(line('decrypt', 3 * 1024 * 1024, undefined, 0)).toBe('decrypt 3.0 MiB');
  });
});

describe('usage errors exit 2 before any request', () => {
  const cases: [string, string[]][] = [
    ['unknown flag', ['encrypt', '--key', 'k', '--bogus']],
    ['missing --key', ['encrypt']],
    ['stray positional', ['encrypt', '--key', 'k', 'extra']],
    ['malformed context', ['decrypt', '--context', 'novalue']],
    ['missing key argument', ['key', 'describe']],
    ['too many arguments', ['key', 'rotate', 'a', 'b']],
    ['bad --days', ['key', 'schedule-deletion', 'k', '--days', '3']],
    ['compromise without --yes', ['key', 'version', 'compromise', 'k', '1']],
    ['version not a number', ['key', 'version', 'disable', 'k', 'one']],
    ['update with nothing to change', ['key', 'update', 'k']],
    [
      'rotation period and no rotation',
      ['key', 'update', 'k', '--rotation-period-days', '9', '--no-rotation'],
    ],
    ['tag without pairs', ['key', 'tag', 'k']],
    ['untag without keys', ['key', 'untag', 'k']],
    ['bad --limit', ['key', 'list', '--limit', '0']],
    ['unknown state', ['key', 'list', '--state', 'Sleeping']],
    ['unknown spec', ['key', 'create', '--spec', 'AES_512']],
    ['unknown usage', ['key', 'create', '--usage', 'SIGN']],
    ['alias create without key', ['alias', 'create', 'app']],
    ['unknown algorithm', ['sign', '--key', 'k', '--algorithm', 'MD5']],
    ['missing algorithm', ['sign', '--key', 'k']],
    [
      'both signature flags',
      [
        'verify',
        '--key',
        'k',
        '--algorithm',
        'ECDSA_SHA_256',
        '--signature',
        'AA==',
        '--signature-file',
        'f',
      ],
    ],
    ['no signature', ['verify', '--key', 'k', '--algorithm', 'ECDSA_SHA_256']],
    ['spec and bytes', ['data-key', '--key', 'k', '--spec', 'AES_256', '--bytes', '8']],
    ['unknown data key spec', ['data-key', '--key', 'k', '--spec', 'AES_512']],
    ['random without N', ['random']],
    ['random out of range', ['random', '4096']],
    ['random not a number', ['random', 'lots']],
    ['unknown command', ['key', 'explode']],
  ];
  it.each(cases)('%s', async (_name, argv) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr).toMatch(/Usage: custos/);
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await runCli(['encrypt', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toMatch(/^Usage: custos encrypt --key KEY/);
  });
});
