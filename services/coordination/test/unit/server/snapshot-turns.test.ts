import { writeSnapshotInTurns } from '../../../src/server/snapshot-turns';
import { DataTree, serializeTree, SnapshotWriter, type Txn } from '../../../src/tree';

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
  let turnsSeen = 0;
  let writing = true;
  const otherWork = (): void => {
    if (!writing) return;
    turnsSeen++;
    const txn: Txn = { zxid: tree.lastZxid + 1, timeMs: 2000, sessionId: 0, op: { type: 'setData', path: `/n${turnsSeen}`, data: Buffer.from('changed'), version: -1 } };
    tree.apply(txn);
    setImmediate(otherWork);
  };
  setImmediate(otherWork);
  const data = await writeSnapshotInTurns(new SnapshotWriter(tree), 500);
  writing = false;
  expect(turnsSeen).toBeGreaterThan(0);
  expect(data.equals(expected)).toBe(true);
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
