import { ancestors, baseName, checkPath, isUnder, joinPath, parentPath, sequenceOf } from '../../src/path';

describe('checkPath (ZooKeeper PathUtils.validatePath)', () => {
  it.each(['/', '/a', '/a/b', '/a-b_c.d', '/zoo keeper', '/a/..b', '/a/.b', '/é'])('accepts %j', (path) => {
    expect(checkPath(path)).toEqual({ ok: true });
  });

  it.each([
    ['', 'empty'],
    ['a', 'start with /'],
    ['a/b', 'start with /'],
    ['/a/', 'end with /'],
    ['//a', 'empty node name'],
    ['/a//b', 'empty node name'],
    ['/a/.', 'relative'],
    ['/a/..', 'relative'],
    ['/./a', 'relative'],
    ['/../a', 'relative'],
    ['/a\u0000b', 'invalid character'],
    ['/a\nb', 'invalid character'],
    ['/a\u007fb', 'invalid character'],
    ['/a\u009fb', 'invalid character'],
    ['/a\ud800', 'invalid character'],
    ['/a\ufff0', 'invalid character'],
  ])('rejects %j (%s)', (path, reason) => {
    const check = checkPath(path);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toContain(reason);
  });

  it('lets a sequential create end in / (the server appends the number)', () => {
    expect(checkPath('/q/', { sequential: true })).toEqual({ ok: true });
    expect(checkPath('/q/', { sequential: false }).ok).toBe(false);
    expect(checkPath('/q//', { sequential: true }).ok).toBe(false);
  });
});

describe('path helpers', () => {
  it('splits and joins paths', () => {
    expect(parentPath('/a/b/c')).toBe('/a/b');
    expect(parentPath('/a')).toBe('/');
    expect(parentPath('/')).toBe('/');
    expect(baseName('/a/b')).toBe('b');
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/a', 'b')).toBe('/a/b');
    expect(ancestors('/a/b/c')).toEqual(['/', '/a', '/a/b']);
    expect(ancestors('/')).toEqual([]);
    expect(isUnder('/a/b', '/a')).toBe(true);
    expect(isUnder('/ab', '/a')).toBe(false);
    expect(isUnder('/a', '/')).toBe(true);
  });

  it('reads the 10-digit sequence suffix', () => {
    expect(sequenceOf('lock-0000000042')).toBe(42);
    expect(sequenceOf('_c_x-lock-2147483647')).toBe(2147483647);
    expect(sequenceOf('lock-42')).toBeNull();
    expect(sequenceOf('lock-00000000x2')).toBeNull();
  });
});
