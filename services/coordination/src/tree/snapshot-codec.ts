// Snapshot of a data tree: "ENTR", a format version byte, the canonical tree content
// (tree-encoding.ts: znodes in pre-order with full stats, kind, TTL and data, then the
// session table), then the last applied zxid. Restoring it gives a tree with the same digest.
// Integrity (CRC) and framing are the storage layer's; this checks structure only.
import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { DataTree } from './data-tree';
import { readTreeContent, writeTreeContent } from './tree-encoding';

const MAGIC = Buffer.from('ENTR', 'latin1');
export const SNAPSHOT_FORMAT_VERSION = 1;

export function serializeTree(tree: DataTree): Buffer {
  const w = new ByteWriter(64 * 1024);
  w.raw(MAGIC);
  w.u8(SNAPSHOT_FORMAT_VERSION);
  writeTreeContent(w, tree.content());
  w.varUint(tree.lastZxid);
  return w.finish();
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
