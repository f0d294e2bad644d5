// Checked binary reader, the inverse of ByteWriter. Every read is bounds-checked and every
// malformed input is reported as a DecodeError naming what was being read and where.

/** Malformed encoded input (a transaction or a snapshot). */
export class DecodeError extends Error {
  readonly code = 'MARSHALLING_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecodeError';
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const VARINT_MAX_BYTES = 8; // 53 bits in groups of 7
const { isSafeInteger } = Number; // a module constant: global lookups are slow inside vm contexts (test runners)

export class ByteReader {
  private offset = 0;

  constructor(private readonly buf: Buffer, private readonly what: string) {}

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  fail(message: string, cause?: unknown): never {
    throw new DecodeError(`${this.what}: ${message} at byte ${this.offset}`, { cause });
  }

  u8(): number {
    this.need(1, 'a byte');
    return this.buf[this.offset++];
  }

  f64(): number {
    this.need(8, 'a float64');
    const value = this.buf.readDoubleLE(this.offset);
    this.offset += 8;
    return value;
  }

  varUint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < VARINT_MAX_BYTES; i++) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) this.fail('overlong varint');
        if (!isSafeInteger(value)) this.fail('varint beyond 2^53');
        return value;
      }
      scale *= 0x80;
    }
    return this.fail('varint too long');
  }

  varInt32(): number {
    const zigzag = this.varUint();
    if (zigzag > 0xffffffff) this.fail('int32 out of range');
    return (zigzag >>> 1) ^ -(zigzag & 1);
  }

  sessionId(): number {
    const value = this.f64();
    if (!isSafeInteger(value)) this.fail(`session id not a safe integer: ${value}`);
    return value;
  }

  /** A length-prefixed byte string, copied out (the input buffer may be reused). */
  bytes(): Buffer {
    const sizeBytes = this.varUint();
    this.need(sizeBytes, `${sizeBytes} bytes`);
    const value = Buffer.from(this.buf.subarray(this.offset, this.offset + sizeBytes));
    this.offset += sizeBytes;
    return value;
  }

  string(): string {
    const sizeBytes = this.varUint();
    this.need(sizeBytes, `a ${sizeBytes}-byte string`);
    const start = this.offset;
    this.offset += sizeBytes;
    try {
      return UTF8.decode(this.buf.subarray(start, start + sizeBytes));
    } catch (err) {
      this.offset = start;
      return this.fail('string is not valid UTF-8', err);
    }
  }

  raw(sizeBytes: number): Buffer {
    this.need(sizeBytes, `${sizeBytes} bytes`);
    const value = this.buf.subarray(this.offset, this.offset + sizeBytes);
    this.offset += sizeBytes;
    return value;
  }

  /** Asserts the whole input was consumed. */
  end(): void {
    if (this.offset !== this.buf.length) this.fail(`${this.buf.length - this.offset} trailing bytes`);
  }

  private need(sizeBytes: number, what: string): void {
    if (this.offset + sizeBytes > this.buf.length) this.fail(`truncated: expected ${what}`);
  }
}
