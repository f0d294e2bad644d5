import { baseName, explainInvalidPath, isAncestorOrSelf, joinPath, parentPath, validatePath } from '../../../src/tree/path';

describe('validatePath (ZooKeeper PathUtils)', () => {
  test.each([
    '/', '/a', '/a/b/c', '/a.b', '/...', '/a/.b', '/a/..b', '/a/b.', '/zookeeper', '/a b', '/日本語',
    '/\u00a0', // first character after the C1 controls
    '/\u00ff', '/\uf900', '/\uffef', // just outside the forbidden ranges
    '/a-0000000001',
  ])('accepts %j', (path) => {
    expect(validatePath(path)).toBeNull();
    expect(explainInvalidPath(path)).toBeNull();
  });

  test.each([
    ['', 'empty'],
    ['a', 'relative'],
    ['a/b', 'relative'],
    ['/a/', 'trailing slash'],
    ['//', 'empty segment'],
    ['/a//b', 'empty segment'],
    ['/.', 'dot segment'],
    ['/..', 'dot-dot segment'],
    ['/a/.', 'dot segment at the end'],
    ['/a/../b', 'dot-dot segment in the middle'],
    ['/a/./b', 'dot segment in the middle'],
    ['/a\u0000b', 'NUL'],
    ['/\u0001', 'C0 control'],
    ['/\u001f', 'C0 control'],
    ['/a\u007f', 'DEL'],
    ['/\u0080', 'C1 control'],
    ['/\u009f', 'C1 control'],
    ['/\ud800', 'lone surrogate'],
    ['/\udfff', 'lone surrogate'],
    ['/\ue000', 'private use'],
    ['/\uf8ff', 'private use'],
    ['/\ufff0', 'specials'],
    ['/\uffff', 'specials'],
    ['/😀', 'outside the BMP (a surrogate pair)'],
  ])('rejects %j (%s)', (path) => {
    expect(validatePath(path)).toBe('INVALID_PATH');
    expect(typeof explainInvalidPath(path)).toBe('string');
  });

  test.each([
    ['/queue/', null],
    ['/', null],
    ['/queue/job-', null],
    ['/a/.', null], // validated as '/a/.1', as ZooKeeper does
    ['/a//', 'INVALID_PATH'],
    ['queue/', 'INVALID_PATH'],
    ['/a/\u0001', 'INVALID_PATH'],
  ])('sequential prefix %j → %s', (path, expected) => {
    expect(validatePath(path, { sequential: true })).toBe(expected);
  });

  test('a trailing slash is only allowed for sequential creates', () => {
    expect(validatePath('/queue/')).toBe('INVALID_PATH');
    expect(validatePath('/queue/', { sequential: true })).toBeNull();
  });

  test('the explanation names the problem', () => {
    expect(explainInvalidPath('x')).toMatch(/start with \//);
    expect(explainInvalidPath('/a/')).toMatch(/end with \//);
    expect(explainInvalidPath('/a//b')).toMatch(/empty node name/);
    expect(explainInvalidPath('/a/..')).toMatch(/relative/);
    expect(explainInvalidPath('/a\u0007')).toMatch(/U\+0007/);
  });
});

describe('path helpers', () => {
  test.each([
    ['/a/b/c', '/a/b', 'c'],
    ['/a', '/', 'a'],
    ['/', '/', ''],
    ['/queue/', '/queue', ''],
  ])('parentPath/baseName of %j', (path, parent, base) => {
    expect(parentPath(path)).toBe(parent);
    expect(baseName(path)).toBe(base);
  });

  test('joinPath does not double the root slash', () => {
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/a', 'b')).toBe('/a/b');
  });

  test.each([
    ['/', '/', true],
    ['/', '/a/b', true],
    ['/a', '/a', true],
    ['/a', '/a/b', true],
    ['/a/b', '/a', false],
    ['/a', '/ab', false],
    ['/a', '/b/a', false],
  ])('isAncestorOrSelf(%j, %j) is %s', (ancestor, path, expected) => {
    expect(isAncestorOrSelf(ancestor, path)).toBe(expected);
  });
});
