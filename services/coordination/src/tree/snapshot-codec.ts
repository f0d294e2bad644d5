// Snapshot of a data tree: "ENTR", a format version byte, the tree content (tree-encoding.ts:
// znodes in pre-order with full stats, kind, TTL and data, then the session table), then the
// last applied zxid. Restoring it gives a tree with the same digest.
// Integrity (CRC) and framing are the storage layer's; this checks structure only.
import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { DataTree, type SnapshotView } from './data-tree';
import { inTreeOrder, readTreeContent, TreeContentWriter, writeTreeContent } from './tree-encoding';

const MAGIC = Buffer.from('ENTR', 'latin1');
/** Bytes a writer's step copies per node it may write (SnapshotWriter.step). */
const COPY_BYTES_PER_NODE = 1024;
export const SNAPSHOT_FORMAT_VERSION = 1;

export function serializeTree(tree: DataTree): Buffer {
  const w = new ByteWriter(64 * 1024);
  w.raw(MAGIC);
  w.u8(SNAPSHOT_FORMAT_VERSION);
  writeTreeContent(w, inTreeOrder(tree.content()));
  w.varUint(tree.lastZxid);
  return w.finish();
}

/**
 * A snapshot of the tree as it is when the writer is made, written a bounded number of nodes
 * per step while the tree goes on applying transactions (DataTree.beginSnapshot). It holds the
 * content serializeTree would have written at that moment, byte for byte unless children were
 * deleted meanwhile: those come last in their directory.
 */
export class SnapshotWriter {
  private readonly w = new ByteWriter(64 * 1024);
  private readonly view: SnapshotView;
  private readonly content: TreeContentWriter;
  /** Once every node is written: the bytes, moved to a buffer of their own size a slice per step. */
  private copy: { from: Buffer; to: Buffer; at: number } | null = null;
  private result: Buffer | null = null;

  constructor(tree: DataTree) {
    this.view = tree.beginSnapshot();
    this.w.raw(MAGIC);
    this.w.u8(SNAPSHOT_FORMAT_VERSION);
    this.content = new TreeContentWriter(this.w, this.view.content);
  }

  /** The last zxid the snapshot reflects. */
  get lastZxid(): number {
    return this.view.lastZxid;
  }

  /**
   * Writes up to `maxNodes` more nodes, or after the last one copies up to `maxNodes` KiB of the
   * bytes into the buffer they are returned in (copying megabytes at once, into memory not yet
   * touched, held the event loop ~1 ms a megabyte); the snapshot once it is complete, else null.
   */
  step(maxNodes: number): Buffer | null {
    if (this.result !== null) return this.result;
    if (this.copy === null) {
      if (!this.content.step(maxNodes)) return null;
      this.w.varUint(this.view.lastZxid);
      this.view.end();
      const from = this.w.view();
      this.copy = { from, to: Buffer.allocUnsafeSlow(from.length), at: 0 };
    }
    const { from, to, at } = this.copy;
    const end = Math.min(from.length, at + maxNodes * COPY_BYTES_PER_NODE);
    from.copy(to, at, at, end);
    this.copy.at = end;
    if (end === from.length) {
      this.result = to;
      this.copy = null;
    }
    return this.result;
  }

  /** Gives up before the end: the tree stops keeping images for it and may begin another. */
  abandon(): void {
    this.view.end();
  }
}

/** Throws DecodeError (code MARSHALLING_ERROR) on anything that is not a well-formed snapshot. */
export function deserializeTree(buf: Buffer): DataTree {
  const r = new ByteReader(buf, 'tree snapshot');
  if (!r.raw(MAGIC.length).equals(MAGIC)) r.fail('not a tree snapshot (bad magic)');
  const version = r.u8();
  if (version !== SNAPSHOT_FORMAT_VERSION) r.fail(`unsupported snapshot format version ${version}`);
  const { content, entries, maxZxid } = readTreeContent(r);
  const lastZxid = r.varUint();
  if (lastZxid < maxZxid) r.fail(`last zxid ${lastZxid} is below a node's zxid ${maxZxid}`);
  r.end();
  return DataTree.fromDecoded(entries, content.sessions, lastZxid);
}
