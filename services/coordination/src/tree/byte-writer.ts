// Append-only binary writer shared by the transaction and snapshot codecs. Integers are
// LEB128 varints (unsigned, or zigzag for int32), session ids float64 (exact for any safe
// integer, negative included); strings and byte strings are length-prefixed.

// Builtins held in module constants: a global lookup per byte is slow inside vm contexts (test runners).
const { floor } = Math;
const { isInteger, isSafeInteger } = Number;

export class ByteWriter {
  private buf: Buffer;
  private offset = 0;

  constructor(initialSizeBytes = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialSizeBytes));
  }

  get length(): number {
    return this.offset;
  }

  u8(value: number): void {
    if (!(isInteger(value) && value >= 0 && value <= 0xff)) throw new RangeError(`not a byte: ${value}`);
    this.reserve(1);
    this.buf[this.offset++] = value;
  }

  f64(value: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(value, this.offset);
    this.offset += 8;
  }

  /** A non-negative safe integer, 7 bits a byte (1–8 bytes). */
  varUint(value: number): void {
    if (!(isSafeInteger(value) && value >= 0)) throw new RangeError(`not a non-negative safe integer: ${value}`);
    this.reserve(8);
    let rest = value;
    const buf = this.buf;
    while (rest >= 0x80) {
      buf[this.offset++] = (rest % 0x80) | 0x80;
      rest = floor(rest / 0x80);
    }
    buf[this.offset++] = rest;
  }

  /** A Java int (ZooKeeper's versions), zigzag-encoded so -1 takes one byte. */
  varInt32(value: number): void {
    if (!(isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31)) throw new RangeError(`not an int32: ${value}`);
    this.varUint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /** A safe integer that may be negative (session ids). */
  sessionId(value: number): void {
    if (!isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    this.f64(value);
  }

  bytes(value: Uint8Array): void {
    this.varUint(value.length);
    this.raw(value);
  }

  string(value: string): void {
    const sizeBytes = Buffer.byteLength(value, 'utf8');
    this.varUint(sizeBytes);
    this.reserve(sizeBytes);
    this.offset += this.buf.write(value, this.offset, sizeBytes, 'utf8');
  }

  raw(value: Uint8Array): void {
    this.reserve(value.length);
    this.buf.set(value, this.offset);
    this.offset += value.length;
  }

  /** The bytes written so far, without copying: valid until the next write. */
  view(): Buffer {
    return this.buf.subarray(0, this.offset);
  }

  /** The bytes written so far, in a buffer of their own. */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.offset));
  }

  private reserve(sizeBytes: number): void {
    if (this.offset + sizeBytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.offset + sizeBytes));
    this.buf.copy(next, 0, 0, this.offset);
    this.buf = next;
  }
}
