// HPACK (RFC 7541), HTTP/2's header compression, for the small HTTP/2 client that the
// coordination service's peer links use. That client only ever sends a few literal headers,
// so the encoder is the least HPACK allows: no dynamic table, no Huffman. It reads whatever a
// server chooses to send in responses and trailers, so the decoder is complete.
import assert from 'node:assert/strict';
import { HUFFMAN_CODE_BITS, HUFFMAN_CODES, HUFFMAN_EOS } from './hpack-huffman';

/** One header field; names are lowercase. */
export type HeaderField = [name: string, value: string];

/**
 * A malformed or oversized header block. The decoder that threw is unusable afterwards: its
 * dynamic table may no longer match the peer's, so the connection must end with
 * COMPRESSION_ERROR (RFC 7540 §4.3).
 */
export class HpackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HpackError';
  }
}

/** Each table entry (RFC 7541 §4.1) and each header list field (RFC 7540 §6.5.2) costs 32 bytes beyond its name and value. */
const FIELD_OVERHEAD_BYTES = 32;
/** SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 7540 §6.5.2). */
const DEFAULT_TABLE_BYTES = 4096;
const DEFAULT_LIST_BYTES = 64 * 1024;
/** No index, length or table size in a sane block comes near this; larger is garbage or an attack. */
const INTEGER_MAX = 2 ** 31 - 1;
/** Continuation bytes carry 7 bits each; past this shift the integer is beyond INTEGER_MAX. */
const INTEGER_SHIFT_MAX = 28;
/** Bytes an encoded integer of up to 2^32 can take: the prefix byte and five continuations. */
const INTEGER_BYTES_MAX = 6;

// RFC 7541 Appendix A; index i is STATIC_TABLE[i - 1].
const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'],
  [':scheme', 'http'], [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'],
  [':status', '304'], [':status', '400'], [':status', '404'], [':status', '500'], ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'], ['accept-language', ''], ['accept-ranges', ''], ['accept', ''],
  ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''], ['cache-control', ''],
  ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''],
  ['etag', ''], ['expect', ''], ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''],
  ['if-modified-since', ''], ['if-none-match', ''], ['if-range', ''], ['if-unmodified-since', ''],
  ['last-modified', ''], ['link', ''], ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''],
  ['proxy-authorization', ''], ['range', ''], ['referer', ''], ['refresh', ''], ['retry-after', ''],
  ['server', ''], ['set-cookie', ''], ['strict-transport-security', ''], ['transfer-encoding', ''],
  ['user-agent', ''], ['vary', ''], ['via', ''], ['www-authenticate', ''],
];

/** For the encoder: each name's first static index, and the index of each full (name, value) match. */
const STATIC_INDEX = new Map<string, { nameIndex: number; byValue: Map<string, number> }>();
STATIC_TABLE.forEach(([name, value], i) => {
  let entry = STATIC_INDEX.get(name);
  if (!entry) STATIC_INDEX.set(name, (entry = { nameIndex: i + 1, byValue: new Map() }));
  if (!entry.byValue.has(value)) entry.byValue.set(value, i + 1);
});

// The Huffman code as a binary tree: node n's children are HUFFMAN_TREE[2n] (bit 0) and
// HUFFMAN_TREE[2n + 1] (bit 1); a child >= 0 is a node, a child < 0 is the leaf of symbol ~child.
// 257 symbols make a full tree of 256 internal nodes, root 0.
const HUFFMAN_TREE = buildHuffmanTree();

function buildHuffmanTree(): Int16Array {
  const tree = new Int16Array(2 * HUFFMAN_EOS); // 0 = no child yet: the root is nobody's child
  let nodes = 1;
  for (let symbol = 0; symbol <= HUFFMAN_EOS; symbol++) {
    const code = HUFFMAN_CODES[symbol];
    let node = 0;
    for (let bit = HUFFMAN_CODE_BITS[symbol] - 1; bit > 0; bit--) {
      const slot = 2 * node + ((code >>> bit) & 1);
      if (tree[slot] === 0) tree[slot] = nodes++;
      assert(tree[slot] > 0, 'Huffman table is not a prefix code');
      node = tree[slot];
    }
    const slot = 2 * node + (code & 1);
    assert(tree[slot] === 0, 'Huffman table is not a prefix code');
    tree[slot] = ~symbol;
  }
  assert(nodes === HUFFMAN_EOS && tree.every((child) => child !== 0), 'Huffman table is not a complete code');
  return tree;
}

/** RFC 7541 §5.2: the symbols' codes back to back, then the top bits of EOS (all ones) as padding, under 8 bits. */
function decodeHuffman(block: Buffer, start: number, end: number): string {
  const out = Buffer.allocUnsafe(Math.ceil(((end - start) * 8) / 5)); // the shortest code has 5 bits
  let length = 0;
  let node = 0;
  let pendingBits = 0; // bits read since the last whole symbol
  let pendingOnes = true;
  for (let i = start; i < end; i++) {
    const byte = block[i];
    for (let shift = 7; shift >= 0; shift--) {
      const bit = (byte >>> shift) & 1;
      const child = HUFFMAN_TREE[2 * node + bit];
      if (child >= 0) {
        node = child;
        pendingBits++;
        pendingOnes &&= bit === 1;
        continue;
      }
      if (~child === HUFFMAN_EOS) throw new HpackError('Huffman-coded string contains EOS');
      out[length++] = ~child;
      node = 0;
      pendingBits = 0;
      pendingOnes = true;
    }
  }
  if (pendingBits > 7) throw new HpackError('Huffman padding longer than 7 bits');
  if (!pendingOnes) throw new HpackError('Huffman padding is not the prefix of EOS');
  return out.toString('latin1', 0, length);
}

/** Reads the primitives of RFC 7541 §5 from one header block. */
class BlockReader {
  pos = 0;

  constructor(private readonly block: Buffer) {}

  get done(): boolean {
    return this.pos >= this.block.length;
  }

  peek(): number {
    return this.block[this.pos];
  }

  /** RFC 7541 §5.1: an N-bit prefix; if all ones, 7 more bits per byte, least significant first. */
  integer(prefixBits: number): number {
    if (this.done) throw new HpackError('header block truncated');
    const mask = (1 << prefixBits) - 1;
    let value = this.block[this.pos++] & mask;
    if (value < mask) return value;
    for (let shift = 0; ; shift += 7) {
      if (this.done) throw new HpackError('integer truncated');
      if (shift > INTEGER_SHIFT_MAX) throw new HpackError('integer overflow');
      const byte = this.block[this.pos++];
      value += (byte & 0x7f) * 2 ** shift;
      if (value > INTEGER_MAX) throw new HpackError('integer overflow');
      if ((byte & 0x80) === 0) return value;
    }
  }

  /** RFC 7541 §5.2: a Huffman flag and a 7-bit-prefix length, then the octets. */
  string(): string {
    if (this.done) throw new HpackError('header block truncated');
    const huffman = (this.peek() & 0x80) !== 0;
    const length = this.integer(7);
    const start = this.pos;
    if (length > this.block.length - start) throw new HpackError('string runs past the end of the header block');
    this.pos += length;
    return huffman ? decodeHuffman(this.block, start, this.pos) : this.block.toString('latin1', start, this.pos);
  }
}

/** Writes the primitives of RFC 7541 §5 into a buffer sized beforehand. */
function writeInteger(out: Buffer, pos: number, flags: number, prefixBits: number, value: number): number {
  const mask = (1 << prefixBits) - 1;
  if (value < mask) {
    out[pos++] = flags | value;
    return pos;
  }
  out[pos++] = flags | mask;
  for (value -= mask; value >= 0x80; value = Math.floor(value / 0x80)) out[pos++] = 0x80 | (value % 0x80);
  out[pos++] = value;
  return pos;
}

function writeString(out: Buffer, pos: number, s: string): number {
  pos = writeInteger(out, pos, 0x00, 7, s.length); // H = 0: never Huffman
  return pos + out.write(s, pos, 'latin1');
}

export class HpackEncoder {
  /**
   * Encodes a header list as one header block. Never adds to the dynamic table (every field is
   * a static-table full match or a literal without indexing) and never uses Huffman, so the
   * peer's decoder table stays empty and no table size update is ever needed. Names and values
   * are written as latin1: one byte per character.
   */
  encode(fields: readonly HeaderField[]): Buffer {
    let bound = 0;
    for (const [name, value] of fields) bound += name.length + value.length + 3 * INTEGER_BYTES_MAX;
    const out = Buffer.allocUnsafe(bound);
    let pos = 0;
    for (const [name, value] of fields) {
      const known = STATIC_INDEX.get(name);
      const index = known?.byValue.get(value);
      if (index !== undefined) {
        pos = writeInteger(out, pos, 0x80, 7, index); // §6.1 indexed field
      } else if (known) {
        pos = writeInteger(out, pos, 0x00, 4, known.nameIndex); // §6.2.2 without indexing, indexed name
        pos = writeString(out, pos, value);
      } else {
        out[pos++] = 0x00; // §6.2.2 without indexing, new name
        pos = writeString(out, pos, name);
        pos = writeString(out, pos, value);
      }
    }
    return out.subarray(0, pos);
  }
}

export class HpackDecoder {
  /** The dynamic table, oldest first: dynamic index 1 (RFC 7541 §2.3.3) is the last element. */
  private readonly table: HeaderField[] = [];
  private tableBytes = 0;
  /** The table's current maximum size, as set by the last size update (RFC 7541 §4.2). */
  private tableBytesMax: number;
  private failure: { cause: unknown } | undefined;

  /**
   * maxTableBytes: the SETTINGS_HEADER_TABLE_SIZE we announce (default 4096), the most a size
   * update may ask for; the table starts at that size, since the peer learns it from the
   * connection preface before it encodes anything for us. maxListBytes: the most a decoded
   * header list may hold, counting name + value + 32 per field as RFC 7540
   * SETTINGS_MAX_HEADER_LIST_SIZE does (default 64 KiB).
   */
  constructor(
    private readonly maxTableBytes = DEFAULT_TABLE_BYTES,
    private readonly maxListBytes = DEFAULT_LIST_BYTES,
  ) {
    this.tableBytesMax = maxTableBytes;
  }

  /** Current size of the dynamic table in RFC 7541 §4.1 bytes. */
  get dynamicTableBytes(): number {
    return this.tableBytes;
  }

  /** The dynamic table, newest (index 62) first: for tests and diagnostics. */
  dynamicTable(): HeaderField[] {
    return this.table.map(([name, value]): HeaderField => [name, value]).reverse();
  }

  /**
   * Decodes one complete header block (a HEADERS frame's fragment and its CONTINUATIONs,
   * concatenated). Throws HpackError on anything malformed or over maxListBytes; after that
   * the decoder refuses every later block, because its table may have diverged from the
   * peer's: the connection must be torn down with COMPRESSION_ERROR.
   */
  decode(block: Buffer): HeaderField[] {
    if (this.failure) throw new HpackError('decoder unusable after an earlier error', this.failure);
    try {
      return this.decodeBlock(block);
    } catch (err) {
      this.failure = { cause: err };
      throw err;
    }
  }

  private decodeBlock(block: Buffer): HeaderField[] {
    const reader = new BlockReader(block);
    const fields: HeaderField[] = [];
    let listBytes = 0;
    while (!reader.done) {
      const first = reader.peek();
      let field: HeaderField;
      if (first & 0x80) {
        field = this.entry(reader.integer(7)); // §6.1 indexed
      } else if (first & 0x40) {
        field = this.literal(reader, 6); // §6.2.1 with incremental indexing
        this.insert(field);
      } else if (first & 0x20) {
        // §4.2: a size update only at the start of a block
        if (fields.length > 0) throw new HpackError('dynamic table size update after a header field');
        this.resize(reader.integer(5));
        continue;
      } else {
        field = this.literal(reader, 4); // §6.2.2 without indexing, §6.2.3 never indexed
      }
      listBytes += field[0].length + field[1].length + FIELD_OVERHEAD_BYTES;
      if (listBytes > this.maxListBytes) throw new HpackError(`header list over ${this.maxListBytes} bytes`);
      fields.push(field);
    }
    return fields;
  }

  /** §6.2: a name (an index, or 0 and a literal) and a literal value. */
  private literal(reader: BlockReader, prefixBits: number): HeaderField {
    const nameIndex = reader.integer(prefixBits);
    const name = nameIndex === 0 ? reader.string() : this.entry(nameIndex)[0];
    // RFC 7540 §8.1.2: uppercase names are malformed; table entries were checked on the way in.
    if (nameIndex === 0 && /[A-Z]/.test(name)) throw new HpackError('uppercase header field name');
    return [name, reader.string()];
  }

  /** §2.3.3: static indices 1-61, then the dynamic table newest first. A fresh tuple each time. */
  private entry(index: number): HeaderField {
    if (index === 0) throw new HpackError('index 0');
    if (index <= STATIC_TABLE.length) {
      const [name, value] = STATIC_TABLE[index - 1];
      return [name, value];
    }
    const back = index - STATIC_TABLE.length;
    if (back > this.table.length) throw new HpackError(`index ${index} past the end of the table`);
    const [name, value] = this.table[this.table.length - back];
    return [name, value];
  }

  /** §4.4: evict until the new entry fits; an entry larger than the whole table just empties it. */
  private insert([name, value]: HeaderField): void {
    const size = name.length + value.length + FIELD_OVERHEAD_BYTES;
    this.evictTo(this.tableBytesMax - size);
    if (size > this.tableBytesMax) return;
    this.table.push([name, value]);
    this.tableBytes += size;
  }

  private resize(size: number): void {
    if (size > this.maxTableBytes) throw new HpackError(`table size update to ${size}, over ${this.maxTableBytes}`);
    this.tableBytesMax = size;
    this.evictTo(size);
  }

  private evictTo(limit: number): void {
    while (this.tableBytes > limit && this.table.length > 0) {
      const [name, value] = this.table.shift()!;
      this.tableBytes -= name.length + value.length + FIELD_OVERHEAD_BYTES;
    }
  }
}
