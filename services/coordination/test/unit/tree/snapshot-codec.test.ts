import { DecodeError } from '../../../src/tree/byte-reader';
import { DataTree } from '../../../src/tree/data-tree';
import { deserializeTree, serializeTree, SNAPSHOT_FORMAT_VERSION } from '../../../src/tree/snapshot-codec';
import type { TxnOp } from '../../../src/tree/types';
import { Driver, bytes, create, del, pick, seededRandom, setData } from './tree-fixtures';

function allPaths(tree: DataTree): string[] {
  const paths: string[] = [];
  const pending = ['/'];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    paths.push(path);
    const listing = tree.getChildren(path);
    if (listing.ok) for (const name of listing.children) pending.push(path === '/' ? `/${name}` : `${path}/${name}`);
  }
  return paths.sort();
}

function everything(tree: DataTree, sessions: number[]): unknown {
  const paths = allPaths(tree);
  return {
    digest: tree.digest(),
    lastZxid: tree.lastZxid,
    nodeCount: tree.nodeCount,
    nodes: paths.map((p) => [p, tree.getData(p), tree.getChildren(p), tree.ephemeralOwnerOf(p)]),
    ephemerals: sessions.map((s) => tree.getEphemerals(s)),
    sessions: tree.sessions(),
    candidates: tree.reapCandidates(Number.MAX_SAFE_INTEGER, 1000),
  };
}

/** A tree with every kind of node, sessions, binary data and history (deletes, versions). */
function mixedTree(): Driver {
  const d = new Driver();
  d.openSession(1);
  d.ok({ type: 'createSession', sessionId: -5, timeoutMs: 30_000, password: Buffer.from([0, 255, 7]) });
  for (const path of ['/zeta', '/apps', '/apps/web', '/日本', '/apps/api']) d.ok(create(path, `data of ${path}`));
  d.ok({ type: 'create', path: '/bin', data: Buffer.from([0, 1, 2, 254, 255]), mode: 'PERSISTENT', ttlMs: 0 });
  d.ok(create('/apps/web/lock-', '', 'EPHEMERAL_SEQUENTIAL'), { sessionId: 1 });
  d.ok(create('/apps/web/lock-', '', 'EPHEMERAL_SEQUENTIAL'), { sessionId: -5 });
  d.ok(create('/apps/tmp', '', 'EPHEMERAL'), { sessionId: 1 });
  d.ok(create('/jobs', '', 'CONTAINER'));
  d.ok(create('/jobs/j1'));
  d.ok(create('/idle', '', 'CONTAINER'));
  d.ok(create('/reapable', '', 'CONTAINER'));
  d.ok(create('/reapable/x'));
  d.ok(del('/reapable/x'));
  d.ok(create('/ttl', 'ttl', 'PERSISTENT_WITH_TTL', 500));
  d.ok(create('/ttl-seq-', '', 'PERSISTENT_SEQUENTIAL_WITH_TTL', 2 ** 40 - 1));
  d.ok(setData('/zeta', 'v1'));
  d.ok(setData('/zeta', 'v2'));
  d.ok(setData('/', 'root data'));
  d.ok({ type: 'noop' });
  return d;
}

describe('snapshot codec: round trip', () => {
  test('an empty tree', () => {
    const tree = new DataTree();
    const restored = deserializeTree(serializeTree(tree));
    expect(everything(restored, [])).toEqual(everything(tree, []));
  });

  test('a tree with every kind of node keeps its digest, stats, indexes and sessions', () => {
    const d = mixedTree();
    const buf = serializeTree(d.tree);
    expect(buf.subarray(0, 5)).toEqual(Buffer.from([0x45, 0x4e, 0x54, 0x52, SNAPSHOT_FORMAT_VERSION]));
    const restored = deserializeTree(buf);
    expect(restored.digest()).toBe(d.tree.digest());
    expect(everything(restored, [1, -5])).toEqual(everything(d.tree, [1, -5]));
    expect(serializeTree(restored)).toEqual(buf); // canonical: the same content, the same bytes
  });

  test('the restored tree then behaves exactly like the original', () => {
    const d = mixedTree();
    const copy = new Driver(deserializeTree(serializeTree(d.tree)));
    copy.zxid = d.zxid;
    copy.timeMs = d.timeMs;
    const followUps: TxnOp[] = [
      { type: 'closeSession', sessionId: 1 },
      { type: 'reap', path: '/reapable' },
      { type: 'reap', path: '/ttl' },
      create('/apps/web/lock-', '', 'EPHEMERAL_SEQUENTIAL'),
      { type: 'multi', ops: [create('/jobs/j2'), del('/jobs/j1'), setData('/zeta', 'v3', 2)] },
      create('/ttl-seq-', '', 'PERSISTENT_SEQUENTIAL'),
    ];
    for (const op of followUps) {
      const options = { sessionId: -5, timeMs: d.timeMs + 1000 };
      expect(copy.apply(op, options)).toEqual(d.apply(op, options));
    }
    expect(everything(copy.tree, [1, -5])).toEqual(everything(d.tree, [1, -5]));
  });

  test('the digest changes with any change of content', () => {
    const d = mixedTree();
    const seen = new Set([d.tree.digest()]);
    const changes: TxnOp[] = [
      setData('/bin', ''),
      { type: 'createSession', sessionId: 77, timeoutMs: 1, password: bytes('') },
      { type: 'closeSession', sessionId: 77 }, // back to the earlier content
      create('/new'),
    ];
    const digests = changes.map((op) => {
      d.ok(op);
      return d.tree.digest();
    });
    expect(digests[2]).toBe(digests[0]);
    for (const digest of [digests[0], digests[1], digests[3]]) {
      expect(seen.has(digest)).toBe(false);
      seen.add(digest);
    }
  });
});

describe('snapshot codec: 100k nodes', () => {
  test('round trip of a 100k-node tree keeps its digest', () => {
    const d = new Driver();
    d.openSession(3);
    for (let dir = 0; dir < 100; dir++) {
      d.ok(create(`/dir-${dir}`, `directory ${dir}`));
      for (let i = 0; i < 999; i++) {
        const mode = i % 10 === 0 ? 'EPHEMERAL_SEQUENTIAL' : 'PERSISTENT_SEQUENTIAL';
        d.ok(create(`/dir-${dir}/node-`, `payload ${dir}/${i}`, mode), { sessionId: 3 });
      }
    }
    expect(d.tree.nodeCount).toBe(100_001);
    const t0 = performance.now();
    const buf = serializeTree(d.tree);
    const t1 = performance.now();
    const restored = deserializeTree(buf);
    const t2 = performance.now();
    const digest = d.tree.digest();
    const t3 = performance.now();
    expect(restored.digest()).toBe(digest);
    expect(restored.nodeCount).toBe(100_001);
    expect(restored.lastZxid).toBe(d.tree.lastZxid);
    expect(restored.getEphemerals(3)).toEqual(d.tree.getEphemerals(3));
    process.stdout.write(`snapshot of 100k nodes: ${(buf.length / 1e6).toFixed(2)} MB, serialize ${(t1 - t0).toFixed(0)} ms, ` +
      `deserialize ${(t2 - t1).toFixed(0)} ms, digest ${(t3 - t2).toFixed(0)} ms\n`);
  });
});

describe('snapshot codec: malformed input', () => {
  function decodeError(buf: Buffer): DecodeError {
    try {
      deserializeTree(buf);
    } catch (err) {
      if (err instanceof DecodeError) return err;
      throw err;
    }
    throw new Error('decoded a malformed snapshot');
  }

  function smallTree(names: string[]): Buffer {
    const d = new Driver();
    for (const name of names) d.ok(create(`/${name}`));
    return serializeTree(d.tree);
  }

  test('bad magic, unknown version, trailing bytes', () => {
    const good = smallTree(['a']);
    const badMagic = Buffer.from(good);
    badMagic[0] = 0x58;
    expect(decodeError(badMagic).message).toMatch(/bad magic/);
    const badVersion = Buffer.from(good);
    badVersion[4] = 9;
    expect(decodeError(badVersion).message).toMatch(/unsupported snapshot format version 9/);
    expect(decodeError(Buffer.concat([good, Buffer.from([0])])).message).toMatch(/trailing/);
    expect(decodeError(Buffer.alloc(0)).message).toMatch(/truncated/);
  });

  test('every truncation', () => {
    const good = serializeTree(mixedTree().tree);
    for (let length = 0; length < good.length; length++) expect(decodeError(good.subarray(0, length)).code).toBe('MARSHALLING_ERROR');
  });

  test('a duplicate child name', () => {
    const good = smallTree(['a', 'b']);
    const at = good.indexOf(Buffer.from([1, 0x62])); // the name "b"
    const bad = Buffer.from(good);
    bad[at + 1] = 0x61;
    expect(decodeError(bad).message).toMatch(/duplicate child "a"/);
  });

  test('an invalid child name', () => {
    const good = smallTree(['x']);
    const bad = Buffer.from(good);
    bad[good.indexOf(Buffer.from([1, 0x78])) + 1] = 0x2e; // "x" → "."
    expect(decodeError(bad).message).toMatch(/invalid node name "\."/);
  });

  test('a last zxid below a node zxid', () => {
    const good = smallTree(['a', 'b']); // lastZxid 2, the last byte
    const bad = Buffer.from(good);
    bad[bad.length - 1] = 1;
    expect(decodeError(bad).message).toMatch(/below a node's zxid 2/);
  });

  test('random corruption never escapes as anything but a DecodeError', () => {
    const good = serializeTree(mixedTree().tree);
    const rand = seededRandom(5);
    let decoded = 0;
    for (let i = 0; i < 2000; i++) {
      const buf = Buffer.from(good);
      const flips = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < flips; f++) buf[Math.floor(rand() * buf.length)] = pick(rand, [0, 1, 0x2f, 0x7f, 0x80, 0xff, Math.floor(rand() * 256)]);
      try {
        deserializeTree(buf);
        decoded++;
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
      }
    }
    expect(decoded).toBeLessThan(2000);
  });
});
