import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';
import { RequestLogger } from '../../src/protocols/http/request-logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level, destination }) };
}

describe('RequestLogger (request.log)', () => {
  it('writes enabled lines through a child bound to the request id, censored as the parent does', () => {
    const { lines, logger } = capture('info');
    const log = new RequestLogger(logger, { requestId: 'r-1' }, {});
    log.info({ keyId: 'k', plaintext: 'PLAIN' }, 'done %s', 'now');
    log.error('plain message');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ requestId: 'r-1', keyId: 'k', plaintext: '[redacted]' });
    expect(lines[0]?.msg).toBe('done now');
    expect(lines[1]).toMatchObject({ requestId: 'r-1', msg: 'plain message', level: 50 });
  });

  it('writes nothing, and makes no child, below the level', () => {
    const { lines, logger } = capture('info');
    const child = vi.spyOn(logger, 'child');
    const log = new RequestLogger(logger, { requestId: 'r-2' }, {});
    log.debug({ a: 1 }, 'hidden');
    log.trace('hidden');
    expect(log.level).toBe('info');
    expect(lines).toHaveLength(0);
    expect(child).not.toHaveBeenCalled();
    log.warn('shown');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toHaveLength(1);
  });

  it('follows a level set on it, and gives children of its own', () => {
    const { lines, logger } = capture('info');
    const log = new RequestLogger(logger, { requestId: 'r-3' }, {});
    log.level = 'debug';
    log.debug('now shown');
    log.child({ part: 'x' }).info('from a child');
    expect(logger.level).toBe('info');
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ['now shown', 'r-3'],
      ['from a child', 'r-3'],
    ]);
    expect(lines[1]?.part).toBe('x');
  });
});
