import { writeSnapshotInTurns } from '../../../src/server/snapshot-turns';
import { DataTree, deserializeTree, serializeTree, SnapshotWriter, type Txn } from '../../../src/tree';
import { ChildSet } from '../../../src/tree/child-set';

/** Runs `work(turn)` once per turn of the event loop, from the next turn, until `stop()`; turns run. */
function everyTurn(work: (turn: number) => void): { stop: () => number } {
  let turn = 0;
  let running = true;
  const next = (): void => {
    if (!running) return;
    work(++turn);
    setImmediate(next);
  };
  setImmediate(next);
  return {
    stop: () => {
      running = false;
      return turn;
    },
  };
}

function treeWith(nodes: number): DataTree {
  const tree = new DataTree();
  for (let i = 1; i <= nodes; i++) {
    tree.apply({ zxid: i, timeMs: 1000, sessionId: 0, op: { type: 'create', path: `/n${i}`, data: Buffer.from(`v${i}`), mode: 'PERSISTENT', ttlMs: 0 } });
  }
  return tree;
}

test('a snapshot is written a slice per turn: other work runs in between, and the bytes are those of the start', async () => {
  const tree = treeWith(5000);
  const expected = serializeTree(tree);
  const otherWork = everyTurn((turn) => {
    const txn: Txn = { zxid: tree.lastZxid + 1, timeMs: 2000, sessionId: 0, op: { type: 'setData', path: `/n${turn}`, data: Buffer.from('changed'), version: -1 } };
    tree.apply(txn);
  });
  const data = await writeSnapshotInTurns(new SnapshotWriter(tree), { nodesPerStep: 500, turnMs: 0 });
  expect(otherWork.stop()).toBeGreaterThan(0);
  expect(data.equals(expected)).toBe(true);
});

test('children deleted, created again and added while a directory is being written are written as they were at the start', async () => {
  const tree = treeWith(5000);
  const expected = serializeTree(tree);
  let zxid = tree.lastZxid;
  const apply = (op: Txn['op']): void => void tree.apply({ zxid: ++zxid, timeMs: 3000, sessionId: 0, op });
  const otherWork = everyTurn((turn) => {
    // Few changes between folds (spliced) and, every tenth turn, many (merged).
    for (let i = 0; i < (turn % 10 === 0 ? 100 : 3); i++) {
      const n = ((turn * 37 + i * 101) % 5000) + 1;
      if (tree.getData(`/n${n}`).ok) apply({ type: 'delete', path: `/n${n}`, version: -1 });
      if (i % 2 === 0) apply({ type: 'create', path: `/n${n}`, data: Buffer.from('again'), mode: 'PERSISTENT', ttlMs: 0 });
      apply({ type: 'create', path: `/m${turn}-${i}`, data: Buffer.from('new'), mode: 'PERSISTENT', ttlMs: 0 });
    }
    tree.getChildren('/', '', 1); // an ordered read folds the changes in
  });
  const data = await writeSnapshotInTurns(new SnapshotWriter(tree), { nodesPerStep: 100, turnMs: 0 });
  expect(otherWork.stop()).toBeGreaterThan(10);
  // The same nodes, stats and data. Children deleted before the writer reached them come last in
  // their directory, so the bytes differ: proof that this test took that path.
  const restored = deserializeTree(data);
  expect(restored.digest()).toBe(deserializeTree(expected).digest());
  expect(restored.getAllChildrenNumber('/')).toEqual({ ok: true, count: 5000 });
  expect(data.equals(expected)).toBe(false);
});

test('a large directory is written in the order the tree keeps it: no turn sorts or copies its children', async () => {
  // Sorting the 30k names of a directory in one turn stalled a server ~10 ms per snapshot.
  const tree = treeWith(20_000);
  const expected = serializeTree(tree);
  // Where a child set sorts its names (or folds changes into the sorted list).
  const sorts = jest.spyOn(ChildSet.prototype as unknown as { bringUpToDate(): string[] }, 'bringUpToDate');
  try {
    let zxid = tree.lastZxid;
    const otherWork = everyTurn((turn) => {
      tree.apply({ zxid: ++zxid, timeMs: 3000, sessionId: 0, op: { type: 'delete', path: `/n${20_000 - turn}`, version: -1 } });
      tree.apply({ zxid: ++zxid, timeMs: 3000, sessionId: 0, op: { type: 'create', path: `/m${turn}`, data: Buffer.from('new'), mode: 'PERSISTENT', ttlMs: 0 } });
    });
    const data = await writeSnapshotInTurns(new SnapshotWriter(tree), { nodesPerStep: 1000, turnMs: 0 });
    expect(otherWork.stop()).toBeGreaterThan(5);
    expect(sorts).not.toHaveBeenCalled();
    expect(deserializeTree(data).digest()).toBe(deserializeTree(expected).digest());
  } finally {
    sorts.mockRestore();
  }
});

test('a turn writes steps until its time is up, then lets other work run', async () => {
  const tree = treeWith(1000);
  // The test's clock: every look at it is 0.3 ms later, so a 1 ms turn takes four steps.
  let nowMs = 0;
  const clock = (): number => (nowMs += 0.3) - 0.3;
  const stepsPerTurn: number[] = [];
  const writer = new SnapshotWriter(tree);
  const counting = Object.assign(Object.create(writer) as SnapshotWriter, {
    step: (n: number) => {
      stepsPerTurn[stepsPerTurn.length - 1]++;
      return writer.step(n);
    },
  });
  let turns = 0;
  const otherWork = (): void => {
    turns++;
    stepsPerTurn.push(0);
    if (stepsPerTurn.length < 100) setImmediate(otherWork);
  };
  otherWork();
  const data = await writeSnapshotInTurns(counting, { nodesPerStep: 10, turnMs: 1, clock });
  expect(data.equals(serializeTree(tree))).toBe(true);
  expect(turns).toBeGreaterThan(10);
  // 1,001 nodes in steps of 10 is 101 steps; from the last of them on, each step copies 10 KiB
  // of the bytes out. All but the last turn took exactly four steps.
  const full = stepsPerTurn.filter((n) => n > 0);
  expect(full.slice(0, -1).every((n) => n === 4)).toBe(true);
  expect(full.reduce((a, b) => a + b, 0)).toBe(100 + Math.ceil(data.length / (10 * 1024)));
  expect(data.length).toBeGreaterThan(10 * 1024);
});

test('a writer that fails is abandoned, so the tree takes the next snapshot', async () => {
  const tree = treeWith(10);
  const writer = new SnapshotWriter(tree);
  const failing = Object.assign(Object.create(writer) as SnapshotWriter, {
    step: () => {
      throw new Error('disk on fire');
    },
  });
  await expect(writeSnapshotInTurns(failing)).rejects.toThrow('disk on fire');
  expect(await writeSnapshotInTurns(new SnapshotWriter(tree))).toEqual(serializeTree(tree));
});
