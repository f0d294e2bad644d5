import { Writable } from 'node:stream';
import { createLogger, type LoggerOptions } from '@ensemble/common';

/** A logger writing into memory; lines() parses what was written so far. */
function capture(opts: Partial<LoggerOptions> = {}) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger({ service: 'coord', node: 'n1', stream, env: {}, ...opts });
  const raw = () => chunks.join('');
  const lines = () =>
    raw()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, raw };
}

describe('createLogger', () => {
  it('writes one JSON line per event with the fixed keys first', () => {
    const { logger, lines, raw } = capture();
    logger.info('became leader', { term: 3, zxid: 42 });
    const [line] = lines();
    expect(Object.keys(line).slice(0, 5)).toEqual(['ts', 'level', 'service', 'node', 'msg']);
    expect(line).toMatchObject({ level: 'info', service: 'coord', node: 'n1', msg: 'became leader', term: 3, zxid: 42 });
    expect(new Date(line.ts as string).toISOString()).toBe(line.ts);
    expect(raw().endsWith('}\n')).toBe(true);
  });

  it('adds context with child loggers', () => {
    const { logger, lines } = capture();
    logger.child({ sessionId: 'abc' }).child({ path: '/a' }).warn('session expired');
    expect(lines()[0]).toMatchObject({ msg: 'session expired', sessionId: 'abc', path: '/a', service: 'coord', level: 'warn' });
  });

  it('never writes the contents of Buffers', () => {
    const { logger, lines, raw } = capture();
    logger.info('write applied', { data: Buffer.from('top-secret'), nested: { bytes: new Uint8Array(7), list: [Buffer.alloc(3)] } });
    expect(lines()[0]).toMatchObject({ data: '<10 bytes>', nested: { bytes: '<7 bytes>', list: ['<3 bytes>'] } });
    expect(raw()).not.toContain('top-secret');
    expect(raw()).not.toContain('"type":"Buffer"');
  });

  it('logs an Error given as a field with message and stack', () => {
    const { logger, lines } = capture();
    logger.error('apply failed', { err: new Error('disk full'), zxid: 9 });
    const line = lines()[0];
    expect(line.msg).toBe('apply failed');
    expect(line.err).toMatchObject({ name: 'Error', message: 'disk full', stack: expect.stringContaining('disk full') });
  });

  it('logs an Error passed as the second argument under err, keeping msg the event', () => {
    const { logger, lines } = capture();
    logger.error('apply failed', Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
    const line = lines()[0];
    expect(line.msg).toBe('apply failed');
    expect(line.err).toMatchObject({ message: 'disk full', code: 'ENOSPC', stack: expect.stringContaining('Error: disk full') });
  });

  it('logs a bare Error with its message as msg', () => {
    const { logger, lines } = capture();
    logger.child({ term: 2 }).error(new Error('kaboom'));
    logger.error(new Error('direct'));
    const [viaChild, direct] = lines();
    expect(viaChild).toMatchObject({ msg: 'kaboom', term: 2, err: { message: 'kaboom', stack: expect.stringContaining('kaboom') } });
    expect(direct).toMatchObject({ msg: 'direct', err: { message: 'direct', stack: expect.stringContaining('direct') } });
  });

  it('keeps cycles, bigints and errors with causes JSON-safe', () => {
    const { logger, lines } = capture();
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    const err = new Error('outer', { cause: new Error('inner') });
    logger.info('odd values', { cyclic, big: 10n ** 20n, err });
    expect(lines()[0]).toMatchObject({
      cyclic: { name: 'a', self: '[Circular]' },
      big: '100000000000000000000',
      err: { message: 'outer', cause: { message: 'inner' } },
    });
  });

  it('honours LOG_LEVEL and an explicit level', () => {
    const fromEnv = capture({ env: { LOG_LEVEL: 'debug' } });
    fromEnv.logger.debug('per request');
    expect(fromEnv.lines()).toHaveLength(1);
    const quiet = capture({ level: 'warn', env: { LOG_LEVEL: 'debug' } });
    quiet.logger.info('state change');
    quiet.logger.warn('slow fsync');
    expect(quiet.lines().map((l) => l.msg)).toEqual(['slow fsync']);
    expect(() => capture({ level: 'loud' })).toThrow(/unknown log level 'loud'/);
  });

  it('does not render lines below the level (they cost nothing on hot paths), and follows a level changed at run time', () => {
    let reads = 0;
    const detail = {
      get sessionId() {
        reads++;
        return 7;
      },
    };
    const c = capture({ level: 'info' });
    c.logger.debug('session connected', { detail });
    expect(reads).toBe(0);
    expect(c.lines()).toHaveLength(0);
    c.logger.level = 'debug';
    c.logger.debug('session connected', { detail });
    expect(reads).toBeGreaterThan(0);
    expect(c.lines().map((l) => l.detail)).toEqual([{ sessionId: 7 }]);
  });

  it('writes a coloured single line on a terminal, JSON when LOG_FORMAT=json', () => {
    const tty = capture({ format: 'pretty' });
    tty.logger.info('became leader', { term: 3, data: Buffer.alloc(2) });
    const text = tty.raw();
    expect(text).toContain('\x1b[');
    expect(text).toMatch(/INFO .*coord\/n1.* became leader .*term=3 data=<2 bytes>/);
    expect(text.trimEnd().split('\n')).toHaveLength(1);

    const chunks: string[] = [];
    const fakeTty = Object.assign(new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c.toString()), cb()) }), { isTTY: true });
    createLogger({ service: 's', stream: fakeTty, env: { LOG_FORMAT: 'json' } }).info('x');
    createLogger({ service: 's', stream: fakeTty, env: {} }).info('y');
    expect(JSON.parse(chunks[0])).toMatchObject({ msg: 'x' });
    expect(chunks[1]).toContain('\x1b[');
  });
});
