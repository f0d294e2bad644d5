import { DataTree } from '../../../src/tree/data-tree';
import type { Stat } from '../../../src/tree/types';
import { formatSequence } from '../../../src/tree/znode';
import { Driver, bytes, check, create, del, setData } from './tree-fixtures';

const ZERO_STAT: Stat = {
  czxid: 0, mzxid: 0, pzxid: 0, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0,
  ephemeralOwner: 0, dataLength: 0, numChildren: 0,
};

describe('DataTree: a new tree', () => {
  test('holds only the root, with an all-zero stat', () => {
    const tree = new DataTree();
    expect(tree.exists('/')).toEqual(ZERO_STAT);
    expect(tree.nodeCount).toBe(1);
    expect(tree.lastZxid).toBe(0);
    expect(tree.getChildren('/')).toEqual({ ok: true, children: [], stat: ZERO_STAT, nextStartAfter: '' });
  });
});

describe('DataTree: create', () => {
  test('sets every stat field of the new node and updates the parent', () => {
    const d = new Driver();
    d.ok(create('/a'), { timeMs: 5_000 });
    const parentBefore = d.tree.exists('/a') as Stat;
    const outcome = d.ok(create('/a/b', 'hello'), { timeMs: 7_000 });
    const expected: Stat = {
      czxid: 2, mzxid: 2, pzxid: 2, ctime: 7_000, mtime: 7_000, version: 0, cversion: 0, aversion: 0,
      ephemeralOwner: 0, dataLength: 5, numChildren: 0,
    };
    expect(outcome.result).toEqual({ ok: true, type: 'create', path: '/a/b', stat: expected });
    expect(d.tree.exists('/a/b')).toEqual(expected);
    // ZooKeeper: the parent's cversion and pzxid move; its data stat does not.
    expect(d.tree.exists('/a')).toEqual({ ...parentBefore, cversion: 1, pzxid: 2, numChildren: 1 });
    expect(outcome.triggers).toEqual([
      { type: 'NODE_CREATED', path: '/a/b', zxid: 2 },
      { type: 'NODE_CHILDREN_CHANGED', path: '/a', zxid: 2 },
    ]);
    expect(d.tree.getData('/a/b')).toEqual({ ok: true, data: bytes('hello'), stat: expected });
    expect(d.tree.nodeCount).toBe(3);
  });

  test('a child of the root updates the root', () => {
    const d = new Driver();
    const outcome = d.ok(create('/x'));
    expect(d.tree.exists('/')).toEqual({ ...ZERO_STAT, cversion: 1, pzxid: 1, numChildren: 1 });
    expect(outcome.triggers[1]).toEqual({ type: 'NODE_CHILDREN_CHANGED', path: '/', zxid: 1 });
  });

  test('the tree keeps its own copy of the data', () => {
    const d = new Driver();
    const data = bytes('abc');
    d.ok({ type: 'create', path: '/a', data, mode: 'PERSISTENT', ttlMs: 0 });
    data[0] = 0x7a;
    expect((d.tree.getData('/a') as { data: Buffer }).data.toString()).toBe('abc');
  });

  test.each([
    ['missing parent', create('/no/such'), 'NO_NODE'],
    ['existing node', create('/a'), 'NODE_EXISTS'],
    ['the root', create('/'), 'BAD_ARGUMENTS'],
    ['an invalid path', create('/a/'), 'INVALID_PATH'],
    ['a relative path', create('a'), 'INVALID_PATH'],
    ['a TTL for a non-TTL mode', create('/b', '', 'PERSISTENT', 1000), 'BAD_ARGUMENTS'],
    ['a TTL node without a TTL', create('/b', '', 'PERSISTENT_WITH_TTL', 0), 'BAD_ARGUMENTS'],
    ['a negative TTL', create('/b', '', 'PERSISTENT_SEQUENTIAL_WITH_TTL', -5), 'BAD_ARGUMENTS'],
    ['a TTL beyond ZooKeeper\'s 40-bit maximum', create('/b', '', 'PERSISTENT_WITH_TTL', 2 ** 40), 'BAD_ARGUMENTS'],
    ['an ephemeral without a session', create('/b', '', 'EPHEMERAL'), 'BAD_ARGUMENTS'],
  ])('fails on %s', (_what, op, code) => {
    const d = new Driver();
    d.ok(create('/a'));
    const digest = d.tree.digest();
    const outcome = d.apply(op);
    expect(outcome).toEqual({ result: { ok: false, code }, triggers: [] });
    expect(d.tree.digest()).toBe(digest);
    expect(d.tree.lastZxid).toBe(2); // the zxid is consumed all the same
  });

  test('the largest TTL is accepted', () => {
    const d = new Driver();
    expect(d.apply(create('/t', '', 'PERSISTENT_WITH_TTL', 2 ** 40 - 1)).result.ok).toBe(true);
  });
});

describe('DataTree: sequential nodes', () => {
  test('the suffix is the parent cversion, 10 digits', () => {
    const d = new Driver();
    d.ok(create('/q'));
    const names = [0, 1, 2].map(() => (d.ok(create('/q/job-', '', 'PERSISTENT_SEQUENTIAL')).result as { path: string }).path);
    expect(names).toEqual(['/q/job-0000000000', '/q/job-0000000001', '/q/job-0000000002']);
  });

  test('deletes and other children advance the counter too', () => {
    const d = new Driver();
    d.ok(create('/q'));
    d.ok(create('/q/a'));
    d.ok(del('/q/a'));
    d.ok(create('/q/b'));
    expect(d.tree.exists('/q')?.cversion).toBe(3);
    expect(d.ok(create('/q/n', '', 'PERSISTENT_SEQUENTIAL')).result).toMatchObject({ path: '/q/n0000000003' });
  });

  test('a trailing-slash prefix names the node by its number alone', () => {
    const d = new Driver();
    d.ok(create('/queue'));
    expect(d.ok(create('/queue/', '', 'PERSISTENT_SEQUENTIAL')).result).toMatchObject({ path: '/queue/0000000000' });
    expect(d.ok(create('/', '', 'PERSISTENT_SEQUENTIAL')).result).toMatchObject({ path: '/0000000001' });
  });

  test('a taken sequential name fails with NODE_EXISTS and does not advance the counter', () => {
    const d = new Driver();
    d.ok(create('/q'));
    d.ok(create('/q/x0000000001'));
    const outcome = d.apply(create('/q/x', '', 'PERSISTENT_SEQUENTIAL'));
    expect(outcome.result).toEqual({ ok: false, code: 'NODE_EXISTS' });
    expect(d.tree.exists('/q')?.cversion).toBe(1);
    d.ok(create('/q/other'));
    expect(d.ok(create('/q/x', '', 'PERSISTENT_SEQUENTIAL')).result).toMatchObject({ path: '/q/x0000000002' });
  });

  test('every sequential mode is numbered', () => {
    const d = new Driver();
    d.openSession(7);
    d.ok(create('/q'));
    expect(d.ok(create('/q/e-', '', 'EPHEMERAL_SEQUENTIAL'), { sessionId: 7 }).result).toMatchObject({ path: '/q/e-0000000000' });
    expect(d.ok(create('/q/t-', '', 'PERSISTENT_SEQUENTIAL_WITH_TTL', 500)).result).toMatchObject({ path: '/q/t-0000000001' });
  });

  test('the counter is formatted like Java %010d, negative after int32 wrap-around', () => {
    expect(formatSequence(0)).toBe('0000000000');
    expect(formatSequence(2147483647)).toBe('2147483647');
    expect(formatSequence(-5)).toBe('-000000005');
    expect(formatSequence(-2147483648)).toBe('-2147483648');
  });
});

describe('DataTree: setData', () => {
  test('bumps version, mzxid, mtime and dataLength only', () => {
    const d = new Driver();
    d.ok(create('/a', 'x'), { timeMs: 100 });
    d.ok(create('/a/c'), { timeMs: 200 });
    const before = d.tree.exists('/a') as Stat;
    const parentOfA = d.tree.exists('/') as Stat;
    const outcome = d.ok(setData('/a', 'longer', 0), { timeMs: 300 });
    const expected = { ...before, version: 1, mzxid: 3, mtime: 300, dataLength: 6 };
    expect(outcome.result).toEqual({ ok: true, type: 'setData', stat: expected });
    expect(d.tree.exists('/a')).toEqual(expected);
    expect(d.tree.exists('/')).toEqual(parentOfA);
    expect(outcome.triggers).toEqual([{ type: 'NODE_DATA_CHANGED', path: '/a', zxid: 3 }]);
    expect(d.ok(setData('/a', '')).result).toMatchObject({ stat: { version: 2, dataLength: 0 } });
  });

  test('the root can hold data', () => {
    const d = new Driver();
    expect(d.ok(setData('/', 'r')).result).toMatchObject({ stat: { version: 1, dataLength: 1 } });
  });

  test.each([
    ['NO_NODE', setData('/missing', 'x'), 'NO_NODE'],
    ['BAD_VERSION', setData('/a', 'x', 3), 'BAD_VERSION'],
    ['INVALID_PATH', setData('/a/', 'x'), 'INVALID_PATH'],
  ])('fails with %s', (_name, op, code) => {
    const d = new Driver();
    d.ok(create('/a'));
    const digest = d.tree.digest();
    expect(d.apply(op)).toEqual({ result: { ok: false, code }, triggers: [] });
    expect(d.tree.digest()).toBe(digest);
  });
});

describe('DataTree: delete', () => {
  test('removes the node, bumps the parent cversion and pzxid', () => {
    const d = new Driver();
    d.ok(create('/a'));
    d.ok(create('/a/b'));
    const parentBefore = d.tree.exists('/a') as Stat;
    const outcome = d.ok(del('/a/b', 0));
    expect(outcome.result).toEqual({ ok: true, type: 'delete' });
    expect(d.tree.exists('/a/b')).toBeUndefined();
    expect(d.tree.exists('/a')).toEqual({ ...parentBefore, cversion: 2, pzxid: 3, numChildren: 0 });
    expect(outcome.triggers).toEqual([
      { type: 'NODE_DELETED', path: '/a/b', zxid: 3 },
      { type: 'NODE_CHILDREN_CHANGED', path: '/a', zxid: 3 },
    ]);
    expect(d.tree.nodeCount).toBe(2);
  });

  test.each([
    ['NO_NODE', del('/missing'), 'NO_NODE'],
    ['BAD_VERSION', del('/a/b', 1), 'BAD_VERSION'],
    ['NOT_EMPTY', del('/a'), 'NOT_EMPTY'],
    ['BAD_ARGUMENTS for the root', del('/'), 'BAD_ARGUMENTS'],
    ['INVALID_PATH', del('/a//b'), 'INVALID_PATH'],
  ])('fails with %s', (_name, op, code) => {
    const d = new Driver();
    d.ok(create('/a'));
    d.ok(create('/a/b'));
    const digest = d.tree.digest();
    expect(d.apply(op)).toEqual({ result: { ok: false, code }, triggers: [] });
    expect(d.tree.digest()).toBe(digest);
  });

  test('a node can be re-created after delete, with fresh stats', () => {
    const d = new Driver();
    d.ok(create('/a', 'one'));
    d.ok(setData('/a', 'two'));
    d.ok(del('/a'));
    d.ok(create('/a', 'three'));
    expect(d.tree.exists('/a')).toMatchObject({ czxid: 4, mzxid: 4, version: 0 });
  });
});

describe('DataTree: check and noop', () => {
  test('check compares the version and changes nothing', () => {
    const d = new Driver();
    d.ok(create('/a'));
    d.ok(setData('/a', 'x'));
    const digest = d.tree.digest();
    expect(d.apply(check('/a', 1))).toEqual({ result: { ok: true, type: 'check' }, triggers: [] });
    expect(d.apply(check('/a'))).toEqual({ result: { ok: true, type: 'check' }, triggers: [] });
    expect(d.apply(check('/a', 0)).result).toEqual({ ok: false, code: 'BAD_VERSION' });
    expect(d.apply(check('/b')).result).toEqual({ ok: false, code: 'NO_NODE' });
    expect(d.apply(check('b')).result).toEqual({ ok: false, code: 'INVALID_PATH' });
    expect(d.tree.digest()).toBe(digest);
  });

  test('noop consumes the zxid and changes nothing', () => {
    const d = new Driver();
    const digest = d.tree.digest();
    expect(d.apply({ type: 'noop' })).toEqual({ result: { ok: true, type: 'noop' }, triggers: [] });
    expect(d.tree.lastZxid).toBe(1);
    expect(d.tree.digest()).toBe(digest);
  });
});

describe('DataTree: zxid order', () => {
  test('applying a zxid not above the last one is a bug and throws', () => {
    const tree = new DataTree();
    tree.apply({ zxid: 5, timeMs: 1, sessionId: 0, op: { type: 'noop' } });
    expect(() => tree.apply({ zxid: 5, timeMs: 1, sessionId: 0, op: { type: 'noop' } })).toThrow(/zxid 5/);
    expect(() => tree.apply({ zxid: 4, timeMs: 1, sessionId: 0, op: { type: 'noop' } })).toThrow(/not above/);
    expect(tree.lastZxid).toBe(5);
  });

  test('gaps between zxids are fine (a new epoch starts a new counter)', () => {
    const tree = new DataTree();
    tree.apply({ zxid: 3, timeMs: 1, sessionId: 0, op: { type: 'noop' } });
    const next = 2 ** 32 + 1;
    expect(tree.apply({ zxid: next, timeMs: 2, sessionId: 0, op: create('/a') }).result).toMatchObject({ stat: { czxid: next } });
  });

  test('a malformed time or session id is a bug and throws', () => {
    const tree = new DataTree();
    expect(() => tree.apply({ zxid: 1, timeMs: -1, sessionId: 0, op: { type: 'noop' } })).toThrow(/timeMs/);
    expect(() => tree.apply({ zxid: 1, timeMs: 0, sessionId: 0.5, op: { type: 'noop' } })).toThrow(/sessionId/);
  });
});

describe('DataTree: reads', () => {
  test('returned stats and data are copies', () => {
    const d = new Driver();
    d.ok(create('/a', 'abc'));
    const stat = d.tree.exists('/a') as Stat;
    stat.version = 99;
    const read = d.tree.getData('/a');
    if (!read.ok) throw new Error('expected data');
    read.data[0] = 0x7a;
    read.stat.numChildren = 5;
    expect(d.tree.exists('/a')).toMatchObject({ version: 0, numChildren: 0 });
    expect(d.tree.getData('/a')).toMatchObject({ data: bytes('abc') });
  });

  test('missing nodes', () => {
    const tree = new DataTree();
    expect(tree.exists('/x')).toBeUndefined();
    expect(tree.getData('/x')).toEqual({ ok: false, code: 'NO_NODE' });
    expect(tree.getChildren('/x')).toEqual({ ok: false, code: 'NO_NODE' });
    expect(tree.getAllChildrenNumber('/x')).toEqual({ ok: false, code: 'NO_NODE' });
    expect(tree.ephemeralOwnerOf('/x')).toBeUndefined();
  });

  test('children come in lexicographic (UTF-16) order', () => {
    const d = new Driver();
    for (const name of ['b', 'a', 'B', '10', '9', 'ä', 'a0']) d.ok(create(`/${name}`));
    expect(d.tree.getChildren('/')).toMatchObject({ children: ['10', '9', 'B', 'a', 'a0', 'b', 'ä'], nextStartAfter: '' });
  });

  test('paging with startAfter and limit', () => {
    const d = new Driver();
    d.ok(create('/p'));
    for (let i = 0; i < 25; i++) d.ok(create(`/p/c${String(i).padStart(2, '0')}`));
    const pages: string[][] = [];
    let startAfter = '';
    for (let guard = 0; guard < 10; guard++) {
      const page = d.tree.getChildren('/p', startAfter, 10);
      if (!page.ok) throw new Error('expected children');
      pages.push(page.children);
      expect(page.stat.numChildren).toBe(25);
      startAfter = page.nextStartAfter;
      if (startAfter === '') break;
    }
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual((d.tree.getChildren('/p') as { children: string[] }).children);
    // startAfter need not be a child's name; exactly one full last page ends the listing.
    expect(d.tree.getChildren('/p', 'c14x', 0)).toMatchObject({ children: pages[1].slice(5).concat(pages[2]), nextStartAfter: '' });
    expect(d.tree.getChildren('/p', 'c14', 10)).toMatchObject({ children: pages[1].slice(5).concat(pages[2]), nextStartAfter: '' });
    expect(d.tree.getChildren('/p', 'zzz', 10)).toMatchObject({ children: [], nextStartAfter: '' });
    expect(d.tree.getChildren('/p', '', -1)).toEqual({ ok: false, code: 'BAD_ARGUMENTS' });
  });

  test('the sorted listing follows creates and deletes', () => {
    const d = new Driver();
    d.ok(create('/p'));
    for (const name of ['m', 'c', 'x']) d.ok(create(`/p/${name}`));
    expect(d.tree.getChildren('/p')).toMatchObject({ children: ['c', 'm', 'x'] });
    d.ok(create('/p/a'));
    d.ok(create('/p/z'));
    d.ok(create('/p/n'));
    d.ok(del('/p/m'));
    expect(d.tree.getChildren('/p')).toMatchObject({ children: ['a', 'c', 'n', 'x', 'z'] });
  });

  test('getAllChildrenNumber counts every descendant', () => {
    const d = new Driver();
    for (const path of ['/a', '/a/b', '/a/b/c', '/a/d', '/e']) d.ok(create(path));
    expect(d.tree.getAllChildrenNumber('/a')).toEqual({ ok: true, count: 3 });
    expect(d.tree.getAllChildrenNumber('/a/b/c')).toEqual({ ok: true, count: 0 });
    expect(d.tree.getAllChildrenNumber('/')).toEqual({ ok: true, count: 5 });
  });
});

describe('DataTree: 100k children', () => {
  test('paging through them and creating between reads stays fast', () => {
    const d = new Driver();
    d.ok(create('/big'));
    const count = 100_000;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) d.ok(create('/big/n-', '', 'PERSISTENT_SEQUENTIAL'));
    const t1 = performance.now();
    let seen = 0;
    let startAfter = '';
    let last = '';
    for (let pages = 0; pages <= count / 1000; pages++) {
      const page = d.tree.getChildren('/big', startAfter, 1000);
      if (!page.ok) throw new Error('expected children');
      seen += page.children.length;
      if (page.children.length > 0) {
        expect(page.children[0] > last).toBe(true);
        last = page.children[page.children.length - 1];
      }
      startAfter = page.nextStartAfter;
      if (startAfter === '') break;
    }
    expect(seen).toBe(count);
    const t2 = performance.now();
    // A queue: the consumer deletes the head, a producer appends, the consumer reads the new head.
    for (let i = 0; i < 2_000; i++) {
      d.ok(del(`/big/n-${String(i).padStart(10, '0')}`));
      d.ok(create('/big/n-', '', 'PERSISTENT_SEQUENTIAL'));
      const head = d.tree.getChildren('/big', '', 1);
      const expected = `n-${String(i + 1).padStart(10, '0')}`;
      if (!head.ok || head.children[0] !== expected || head.nextStartAfter !== expected) throw new Error(`wrong head after ${i}: ${JSON.stringify(head)}`);
    }
    expect(d.tree.getChildren('/big', '', 1)).toMatchObject({ stat: { numChildren: count, cversion: count + 4_000 } });
    const t3 = performance.now();
    process.stdout.write(`100k children: create ${(t1 - t0).toFixed(0)} ms, page all ${(t2 - t1).toFixed(0)} ms, 2000 delete+create+read ${(t3 - t2).toFixed(0)} ms\n`);
  });
});
