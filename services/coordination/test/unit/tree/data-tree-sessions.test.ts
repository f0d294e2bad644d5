import { Driver, bytes, create, del } from './tree-fixtures';

describe('DataTree: sessions', () => {
  test('createSession records the session; sessions() returns copies', () => {
    const d = new Driver();
    expect(d.apply({ type: 'createSession', sessionId: 42, timeoutMs: 3000, password: bytes('pw') })).toEqual({
      result: { ok: true, type: 'createSession' },
      triggers: [],
    });
    expect(d.tree.hasSession(42)).toBe(true);
    expect(d.tree.hasSession(43)).toBe(false);
    const sessions = d.tree.sessions();
    expect(sessions).toEqual(new Map([[42, { timeoutMs: 3000, password: bytes('pw') }]]));
    sessions.get(42)?.password.fill(0);
    sessions.delete(42);
    expect(d.tree.sessions().get(42)?.password).toEqual(bytes('pw'));
  });

  test.each([
    ['session id 0', { sessionId: 0, timeoutMs: 1000 }],
    ['a duplicate session id', { sessionId: 1, timeoutMs: 1000 }],
    ['a zero timeout', { sessionId: 2, timeoutMs: 0 }],
    ['a fractional timeout', { sessionId: 2, timeoutMs: 1.5 }],
  ])('createSession rejects %s', (_what, fields) => {
    const d = new Driver();
    d.openSession(1);
    const digest = d.tree.digest();
    expect(d.apply({ type: 'createSession', password: bytes(''), ...fields }).result).toEqual({ ok: false, code: 'BAD_ARGUMENTS' });
    expect(d.tree.digest()).toBe(digest);
  });
});

describe('DataTree: ephemerals', () => {
  test('an ephemeral is owned by the session that created it', () => {
    const d = new Driver();
    d.openSession(7);
    const outcome = d.ok(create('/e', 'x', 'EPHEMERAL'), { sessionId: 7 });
    expect(outcome.result).toMatchObject({ stat: { ephemeralOwner: 7, czxid: 2 } });
    expect(d.tree.exists('/e')?.ephemeralOwner).toBe(7);
    expect(d.tree.ephemeralOwnerOf('/e')).toBe(7);
    expect(d.tree.getEphemerals(7)).toEqual(['/e']);
  });

  test('non-ephemeral nodes, containers and TTL nodes report owner 0', () => {
    const d = new Driver();
    d.openSession(7);
    d.ok(create('/p'), { sessionId: 7 });
    d.ok(create('/c', '', 'CONTAINER'), { sessionId: 7 });
    d.ok(create('/t', '', 'PERSISTENT_WITH_TTL', 1000), { sessionId: 7 });
    for (const path of ['/p', '/c', '/t']) {
      expect(d.tree.exists(path)?.ephemeralOwner).toBe(0);
      expect(d.tree.ephemeralOwnerOf(path)).toBe(0);
    }
    expect(d.tree.getEphemerals(7)).toEqual([]);
  });

  test('ephemerals cannot have children', () => {
    const d = new Driver();
    d.openSession(7);
    d.ok(create('/e', '', 'EPHEMERAL'), { sessionId: 7 });
    expect(d.apply(create('/e/child'), { sessionId: 7 }).result).toEqual({ ok: false, code: 'NO_CHILDREN_FOR_EPHEMERALS' });
    expect(d.apply(create('/e/s-', '', 'PERSISTENT_SEQUENTIAL')).result).toEqual({ ok: false, code: 'NO_CHILDREN_FOR_EPHEMERALS' });
  });

  test('containers and TTL nodes can have children', () => {
    const d = new Driver();
    d.ok(create('/c', '', 'CONTAINER'));
    d.ok(create('/t', '', 'PERSISTENT_WITH_TTL', 10));
    expect(d.apply(create('/c/x')).result.ok).toBe(true);
    expect(d.apply(create('/t/x')).result.ok).toBe(true);
  });

  test('an ephemeral needs a live session', () => {
    const d = new Driver();
    d.openSession(7);
    expect(d.apply(create('/e', '', 'EPHEMERAL'), { sessionId: 8 }).result).toEqual({ ok: false, code: 'SESSION_EXPIRED' });
    expect(d.apply(create('/e', '', 'EPHEMERAL_SEQUENTIAL'), { sessionId: 0 }).result).toEqual({ ok: false, code: 'BAD_ARGUMENTS' });
    d.ok({ type: 'closeSession', sessionId: 7 });
    expect(d.apply(create('/e', '', 'EPHEMERAL'), { sessionId: 7 }).result).toEqual({ ok: false, code: 'SESSION_EXPIRED' });
  });

  test('getEphemerals filters by string prefix, sorted, per session', () => {
    const d = new Driver();
    d.openSession(1);
    d.openSession(2);
    d.ok(create('/app'));
    d.ok(create('/apple'));
    for (const path of ['/app/z', '/app/a', '/apple/x', '/top']) d.ok(create(path, '', 'EPHEMERAL'), { sessionId: 1 });
    d.ok(create('/app/other', '', 'EPHEMERAL'), { sessionId: 2 });
    expect(d.tree.getEphemerals(1)).toEqual(['/app/a', '/app/z', '/apple/x', '/top']);
    expect(d.tree.getEphemerals(1, '/')).toEqual(['/app/a', '/app/z', '/apple/x', '/top']);
    expect(d.tree.getEphemerals(1, '')).toEqual(['/app/a', '/app/z', '/apple/x', '/top']);
    expect(d.tree.getEphemerals(1, '/app')).toEqual(['/app/a', '/app/z', '/apple/x']); // ZooKeeper: startsWith
    expect(d.tree.getEphemerals(1, '/app/')).toEqual(['/app/a', '/app/z']);
    expect(d.tree.getEphemerals(2)).toEqual(['/app/other']);
    expect(d.tree.getEphemerals(3)).toEqual([]);
  });

  test('deleting an ephemeral removes it from its session', () => {
    const d = new Driver();
    d.openSession(1);
    d.ok(create('/e', '', 'EPHEMERAL'), { sessionId: 1 });
    d.ok(del('/e')); // any session may delete it
    expect(d.tree.getEphemerals(1)).toEqual([]);
    expect(d.ok({ type: 'closeSession', sessionId: 1 }).result).toEqual({ ok: true, type: 'closeSession', deleted: [] });
  });
});

describe('DataTree: closeSession', () => {
  test('deletes every ephemeral of the session in one transaction, with triggers', () => {
    const d = new Driver();
    d.openSession(1);
    d.openSession(2);
    d.ok(create('/locks'));
    d.ok(create('/locks/b', '', 'EPHEMERAL'), { sessionId: 1 });
    d.ok(create('/a', '', 'EPHEMERAL'), { sessionId: 1 });
    d.ok(create('/locks/lock-', '', 'EPHEMERAL_SEQUENTIAL'), { sessionId: 1 });
    d.ok(create('/locks/c', '', 'EPHEMERAL'), { sessionId: 2 });
    const locksBefore = d.tree.exists('/locks');
    const outcome = d.ok({ type: 'closeSession', sessionId: 1 });
    const zxid = d.zxid;
    expect(outcome.result).toEqual({ ok: true, type: 'closeSession', deleted: ['/a', '/locks/b', '/locks/lock-0000000001'] });
    expect(outcome.triggers).toEqual([
      { type: 'NODE_DELETED', path: '/a', zxid },
      { type: 'NODE_CHILDREN_CHANGED', path: '/', zxid },
      { type: 'NODE_DELETED', path: '/locks/b', zxid },
      { type: 'NODE_CHILDREN_CHANGED', path: '/locks', zxid },
      { type: 'NODE_DELETED', path: '/locks/lock-0000000001', zxid },
      { type: 'NODE_CHILDREN_CHANGED', path: '/locks', zxid },
    ]);
    expect(d.tree.exists('/locks')).toEqual({ ...locksBefore, cversion: (locksBefore?.cversion ?? 0) + 2, pzxid: zxid, numChildren: 1 });
    expect(d.tree.exists('/locks/c')?.ephemeralOwner).toBe(2);
    expect(d.tree.hasSession(1)).toBe(false);
    expect(d.tree.hasSession(2)).toBe(true);
    expect(d.tree.getEphemerals(1)).toEqual([]);
  });

  test('closing an unknown session succeeds and deletes nothing', () => {
    const d = new Driver();
    d.ok(create('/a'));
    const digest = d.tree.digest();
    expect(d.apply({ type: 'closeSession', sessionId: 99 })).toEqual({ result: { ok: true, type: 'closeSession', deleted: [] }, triggers: [] });
    expect(d.tree.digest()).toBe(digest);
  });
});

describe('DataTree: reaping containers (ZooKeeper ContainerManager)', () => {
  test('an empty container that never had children is kept', () => {
    const d = new Driver();
    d.ok(create('/c', '', 'CONTAINER'));
    expect(d.tree.reapCandidates(d.timeMs + 1e9, 10)).toEqual([]);
    expect(d.ok({ type: 'reap', path: '/c' }).result).toEqual({ ok: true, type: 'reap', deleted: false });
    expect(d.tree.exists('/c')).toBeDefined();
  });

  test('a container is reaped once its last child is gone, not before', () => {
    const d = new Driver();
    d.ok(create('/c', '', 'CONTAINER'));
    d.ok(create('/c/x'));
    expect(d.tree.reapCandidates(d.timeMs, 10)).toEqual([]);
    expect(d.ok({ type: 'reap', path: '/c' }).result).toEqual({ ok: true, type: 'reap', deleted: false });
    d.ok(del('/c/x'));
    expect(d.tree.reapCandidates(d.timeMs, 10)).toEqual(['/c']);
    const rootBefore = d.tree.exists('/');
    const outcome = d.ok({ type: 'reap', path: '/c' });
    expect(outcome).toEqual({
      result: { ok: true, type: 'reap', deleted: true },
      triggers: [
        { type: 'NODE_DELETED', path: '/c', zxid: d.zxid },
        { type: 'NODE_CHILDREN_CHANGED', path: '/', zxid: d.zxid },
      ],
    });
    expect(d.tree.exists('/c')).toBeUndefined();
    expect(d.tree.exists('/')).toMatchObject({ cversion: (rootBefore?.cversion ?? 0) + 1, pzxid: d.zxid });
    expect(d.tree.reapCandidates(d.timeMs, 10)).toEqual([]);
  });

  test('the condition is checked when the reap is applied: a child created since saves it', () => {
    const d = new Driver();
    d.ok(create('/c', '', 'CONTAINER'));
    d.ok(create('/c/x'));
    d.ok(del('/c/x'));
    expect(d.tree.reapCandidates(d.timeMs, 10)).toEqual(['/c']);
    d.ok(create('/c/y'));
    expect(d.ok({ type: 'reap', path: '/c' }).result).toEqual({ ok: true, type: 'reap', deleted: false });
  });

  test('reap never deletes other nodes, missing nodes or the root', () => {
    const d = new Driver();
    d.openSession(1);
    d.ok(create('/p'));
    d.ok(create('/p/x'));
    d.ok(del('/p/x'));
    d.ok(create('/e', '', 'EPHEMERAL'), { sessionId: 1 });
    const digest = d.tree.digest();
    for (const path of ['/p', '/e', '/missing', '/']) {
      expect(d.ok({ type: 'reap', path }, { timeMs: d.timeMs + 1e9 }).result).toEqual({ ok: true, type: 'reap', deleted: false });
    }
    expect(d.tree.digest()).toBe(digest);
  });
});

describe('DataTree: reaping TTL nodes', () => {
  test('an empty TTL node is reaped when unmodified for longer than its TTL', () => {
    const d = new Driver();
    d.ok(create('/t', '', 'PERSISTENT_WITH_TTL', 1000), { timeMs: 10_000 });
    // ZooKeeper: elapsed since mtime must exceed the TTL.
    expect(d.tree.reapCandidates(11_000, 10)).toEqual([]);
    expect(d.tree.reapCandidates(11_001, 10)).toEqual(['/t']);
    expect(d.ok({ type: 'reap', path: '/t' }, { timeMs: 11_000 }).result).toEqual({ ok: true, type: 'reap', deleted: false });
    expect(d.ok({ type: 'reap', path: '/t' }, { timeMs: 11_001 }).result).toEqual({ ok: true, type: 'reap', deleted: true });
    expect(d.tree.exists('/t')).toBeUndefined();
  });

  test('setData restarts the clock; children keep it alive', () => {
    const d = new Driver();
    d.ok(create('/t', '', 'PERSISTENT_WITH_TTL', 1000), { timeMs: 10_000 });
    d.ok({ type: 'setData', path: '/t', data: bytes('x'), version: -1 }, { timeMs: 10_800 });
    expect(d.tree.reapCandidates(11_500, 10)).toEqual([]);
    d.ok(create('/t/child'), { timeMs: 11_000 });
    expect(d.tree.reapCandidates(20_000, 10)).toEqual([]);
    expect(d.ok({ type: 'reap', path: '/t' }, { timeMs: 20_000 }).result).toMatchObject({ deleted: false });
    d.ok(del('/t/child'), { timeMs: 20_001 });
    expect(d.tree.reapCandidates(20_002, 10)).toEqual(['/t']); // mtime is still 10_800
  });

  test('candidates are sorted and capped', () => {
    const d = new Driver();
    for (const name of ['d', 'b', 'a', 'c']) d.ok(create(`/${name}`, '', 'PERSISTENT_SEQUENTIAL_WITH_TTL', 5), { timeMs: 100 });
    d.ok(create('/k', '', 'CONTAINER'), { timeMs: 100 });
    d.ok(create('/k/x'), { timeMs: 100 });
    d.ok(del('/k/x'), { timeMs: 100 });
    expect(d.tree.reapCandidates(1000, 10)).toEqual(['/a0000000002', '/b0000000001', '/c0000000003', '/d0000000000', '/k']);
    expect(d.tree.reapCandidates(1000, 2)).toEqual(['/a0000000002', '/b0000000001']);
    expect(d.tree.reapCandidates(1000, 0)).toEqual([]);
  });
});
