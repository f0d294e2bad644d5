import type { DataTree } from '../../../src/tree/data-tree';
import type { MultiSubOp } from '../../../src/tree/types';
import { Driver, check, create, del, setData } from './tree-fixtures';

/** Everything observable about a tree, for "exactly as before" comparisons. */
function observe(tree: DataTree, paths: string[], sessions: number[]): unknown {
  return {
    digest: tree.digest(),
    nodeCount: tree.nodeCount,
    nodes: paths.map((p) => [p, tree.getData(p), tree.getChildren(p)]),
    ephemerals: sessions.map((s) => tree.getEphemerals(s)),
    candidates: tree.reapCandidates(Number.MAX_SAFE_INTEGER, 100),
    sessions: tree.sessions(),
  };
}

function populated(): Driver {
  const d = new Driver();
  d.openSession(5);
  d.ok(create('/a', 'a'));
  d.ok(create('/a/b', 'b'));
  d.ok(create('/q'));
  d.ok(create('/c', '', 'CONTAINER'));
  d.ok(create('/c/x'));
  d.ok(create('/e', '', 'EPHEMERAL'), { sessionId: 5 });
  return d;
}
const PATHS = ['/', '/a', '/a/b', '/q', '/c', '/c/x', '/e', '/n', '/n/m'];

describe('DataTree: multi that succeeds', () => {
  test('applies every op in order, one zxid, results and triggers per op', () => {
    const d = populated();
    const outcome = d.ok({
      type: 'multi',
      ops: [
        create('/n', 'n'),
        create('/n/m'), // sees the create before it
        setData('/a', 'A', 0),
        check('/a', 1), // sees the setData before it
        create('/q/s-', '', 'PERSISTENT_SEQUENTIAL'),
        create('/q/s-', '', 'PERSISTENT_SEQUENTIAL'),
        del('/a/b'),
      ],
    });
    const z = d.zxid;
    if (!outcome.result.ok || outcome.result.type !== 'multi') throw new Error('expected multi results');
    expect(outcome.result.results.map((r) => r.type)).toEqual(['create', 'create', 'setData', 'check', 'create', 'create', 'delete']);
    expect(outcome.result.results[0]).toMatchObject({ path: '/n', stat: { czxid: z, numChildren: 0 } }); // stat as of that op
    expect(outcome.result.results[2]).toMatchObject({ stat: { version: 1, mzxid: z } });
    expect(outcome.result.results[4]).toMatchObject({ path: '/q/s-0000000000' });
    expect(outcome.result.results[5]).toMatchObject({ path: '/q/s-0000000001' });
    expect(outcome.triggers).toEqual([
      { type: 'NODE_CREATED', path: '/n', zxid: z },
      { type: 'NODE_CHILDREN_CHANGED', path: '/', zxid: z },
      { type: 'NODE_CREATED', path: '/n/m', zxid: z },
      { type: 'NODE_CHILDREN_CHANGED', path: '/n', zxid: z },
      { type: 'NODE_DATA_CHANGED', path: '/a', zxid: z },
      { type: 'NODE_CREATED', path: '/q/s-0000000000', zxid: z },
      { type: 'NODE_CHILDREN_CHANGED', path: '/q', zxid: z },
      { type: 'NODE_CREATED', path: '/q/s-0000000001', zxid: z },
      { type: 'NODE_CHILDREN_CHANGED', path: '/q', zxid: z },
      { type: 'NODE_DELETED', path: '/a/b', zxid: z },
      { type: 'NODE_CHILDREN_CHANGED', path: '/a', zxid: z },
    ]);
    expect(d.tree.exists('/n')).toMatchObject({ numChildren: 1, cversion: 1, pzxid: z });
    expect(d.tree.exists('/q')).toMatchObject({ cversion: 2 });
  });

  test('an empty multi succeeds and changes nothing', () => {
    const d = populated();
    const before = observe(d.tree, PATHS, [5]);
    expect(d.apply({ type: 'multi', ops: [] })).toEqual({ result: { ok: true, type: 'multi', results: [] }, triggers: [] });
    expect(observe(d.tree, PATHS, [5])).toEqual(before);
  });

  test('delete and re-create of one path in one multi', () => {
    const d = populated();
    d.ok({ type: 'multi', ops: [del('/a/b'), create('/a/b', 'again')] });
    expect(d.tree.exists('/a/b')).toMatchObject({ czxid: d.zxid, dataLength: 5 });
    expect(d.tree.exists('/a')).toMatchObject({ cversion: 3, numChildren: 1 });
  });

  test('an ephemeral created in a multi belongs to the txn session', () => {
    const d = populated();
    d.ok({ type: 'multi', ops: [create('/q/lock', '', 'EPHEMERAL')] }, { sessionId: 5 });
    expect(d.tree.getEphemerals(5)).toEqual(['/e', '/q/lock']);
  });
});

describe('DataTree: multi that fails is all or nothing', () => {
  const failing: Array<[string, MultiSubOp, string]> = [
    ['NO_NODE', setData('/missing', 'x'), 'NO_NODE'],
    ['NODE_EXISTS', create('/a'), 'NODE_EXISTS'],
    ['BAD_VERSION', check('/a', 7), 'BAD_VERSION'],
    ['NOT_EMPTY', del('/n'), 'NOT_EMPTY'],
    ['NO_CHILDREN_FOR_EPHEMERALS', create('/n/m/x'), 'NO_CHILDREN_FOR_EPHEMERALS'], // /n/m: an ephemeral made earlier in the multi
    ['SESSION_EXPIRED', create('/z', '', 'EPHEMERAL'), 'SESSION_EXPIRED'],
    ['INVALID_PATH', create('/bad/'), 'INVALID_PATH'],
    ['BAD_ARGUMENTS', del('/'), 'BAD_ARGUMENTS'],
  ];

  test.each(failing)('failing with %s rolls back every earlier change exactly', (_name, failingOp, code) => {
    const d = populated();
    const before = observe(d.tree, PATHS, [5, 6]);
    // SESSION_EXPIRED: the txn comes from session 6, which the tree does not know.
    const sessionId = code === 'SESSION_EXPIRED' ? 6 : 5;
    const ops: MultiSubOp[] = [
      create('/n', 'new'),
      create('/n/m', '', sessionId === 5 ? 'EPHEMERAL' : 'PERSISTENT'),
      create('/q/s-', '', 'PERSISTENT_SEQUENTIAL'),
      setData('/a', 'changed'),
      del('/a/b'),
      del('/c/x'), // makes the container a reap candidate, until rolled back
      del('/e'), // removes an ephemeral from its session's index, until rolled back
      failingOp,
      create('/after'),
      setData('/a', 'never'),
    ];
    const outcome = d.apply({ type: 'multi', ops }, { sessionId });
    const results = [...Array(7).fill({ type: 'error', code: 'OK' }), { type: 'error', code }, { type: 'error', code: 'RUNTIME_INCONSISTENCY' }, { type: 'error', code: 'RUNTIME_INCONSISTENCY' }];
    expect(outcome).toEqual({ result: { ok: false, code, results }, triggers: [] });
    expect(observe(d.tree, PATHS, [5, 6])).toEqual(before);
    expect(d.tree.lastZxid).toBe(d.zxid); // the zxid was consumed
    // The sequence counter was rolled back too: the next sequential name is the one it would have been.
    expect(d.ok(create('/q/s-', '', 'PERSISTENT_SEQUENTIAL')).result).toMatchObject({ path: '/q/s-0000000000' });
  });

  test('failing on the first op: it has its code, the rest RUNTIME_INCONSISTENCY', () => {
    const d = populated();
    const outcome = d.apply({ type: 'multi', ops: [check('/missing'), create('/x')] });
    expect(outcome.result).toEqual({
      ok: false,
      code: 'NO_NODE',
      results: [{ type: 'error', code: 'NO_NODE' }, { type: 'error', code: 'RUNTIME_INCONSISTENCY' }],
    });
  });

  test('failing on the last op: every other op reports OK', () => {
    const d = populated();
    const outcome = d.apply({ type: 'multi', ops: [create('/x'), setData('/x', 'y'), check('/x', 0)] });
    expect(outcome.result).toEqual({
      ok: false,
      code: 'BAD_VERSION',
      results: [{ type: 'error', code: 'OK' }, { type: 'error', code: 'OK' }, { type: 'error', code: 'BAD_VERSION' }],
    });
    expect(d.tree.exists('/x')).toBeUndefined();
  });

  test('a rolled-back delete and re-create restores the original node and its stat', () => {
    const d = populated();
    const before = observe(d.tree, PATHS, [5]);
    const outcome = d.apply({ type: 'multi', ops: [del('/a/b'), create('/a/b', 'other'), setData('/a/b', 'x'), check('/nope')] });
    expect(outcome.result.ok).toBe(false);
    expect(observe(d.tree, PATHS, [5])).toEqual(before);
  });

  test('the tree works normally after a rollback', () => {
    const d = populated();
    d.apply({ type: 'multi', ops: [create('/n'), create('/n/m'), check('/nope')] });
    d.ok({ type: 'multi', ops: [create('/n'), create('/n/m')] });
    expect(d.tree.getChildren('/n')).toMatchObject({ children: ['m'] });
    expect(d.tree.getChildren('/')).toMatchObject({ children: ['a', 'c', 'e', 'n', 'q'] });
  });
});
