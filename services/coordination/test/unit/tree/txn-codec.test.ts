import { DecodeError } from '../../../src/tree/byte-reader';
import { decodeTxn, encodeTxn, TXN_FORMAT_VERSION } from '../../../src/tree/txn-codec';
import { makeZxid, type CreateMode, type MultiSubOp, type Txn, type TxnOp } from '../../../src/tree/types';
import { bytes, pick, seededRandom } from './tree-fixtures';

const MODES: CreateMode[] = [
  'PERSISTENT', 'EPHEMERAL', 'PERSISTENT_SEQUENTIAL', 'EPHEMERAL_SEQUENTIAL', 'CONTAINER',
  'PERSISTENT_WITH_TTL', 'PERSISTENT_SEQUENTIAL_WITH_TTL',
];

function randomTxns(seed: number, count: number): Txn[] {
  const rand = seededRandom(seed);
  const int = (max: number): number => Math.floor(rand() * max);
  const path = (): string => pick(rand, ['/', '/a', '/a/b', '/queue/', '/日本/ü', '/' + 'x'.repeat(int(300)), '']);
  const data = (): Buffer => Buffer.from(Array.from({ length: pick(rand, [0, 1, 5, 200, 1000]) }, () => int(256)));
  const version = (): number => pick(rand, [-1, 0, 1, 127, 128, 2 ** 31 - 1, -(2 ** 31), int(1e6)]);
  const sessionId = (): number => pick(rand, [0, 1, int(2 ** 31), -7, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);
  const subOp = (): MultiSubOp => {
    switch (int(4)) {
      case 0: return { type: 'create', path: path(), data: data(), mode: pick(rand, MODES), ttlMs: pick(rand, [0, 1, 2 ** 40 - 1, int(1e9)]) };
      case 1: return { type: 'delete', path: path(), version: version() };
      case 2: return { type: 'setData', path: path(), data: data(), version: version() };
      default: return { type: 'check', path: path(), version: version() };
    }
  };
  const op = (): TxnOp => {
    switch (int(9)) {
      case 0: return { type: 'multi', ops: Array.from({ length: int(5) }, subOp) };
      case 1: return { type: 'createSession', sessionId: sessionId(), timeoutMs: int(1e6), password: data() };
      case 2: return { type: 'closeSession', sessionId: sessionId() };
      case 3: return { type: 'reap', path: path() };
      case 4: return { type: 'noop' };
      default: return subOp();
    }
  };
  return Array.from({ length: count }, () => ({
    zxid: pick(rand, [1, makeZxid(int(2 ** 21), int(2 ** 32)), makeZxid(2 ** 21 - 1, 2 ** 32 - 1)]),
    timeMs: pick(rand, [0, 1_700_000_000_000 + int(1e9), Number.MAX_SAFE_INTEGER]),
    sessionId: sessionId(),
    op: op(),
  }));
}

describe('txn codec: round trip', () => {
  test.each([1, 2, 3, 4, 5])('seed %i: 300 random transactions of every op survive encode/decode', (seed) => {
    const txns = randomTxns(seed, 300);
    const seen = new Set(txns.map((t) => t.op.type));
    expect(seen.size).toBe(9);
    for (const txn of txns) expect(decodeTxn(encodeTxn(txn))).toEqual(txn);
  });

  test('starts with the format version and is compact', () => {
    const del: Txn = { zxid: makeZxid(3, 1000), timeMs: 1_700_000_000_000, sessionId: 12345, op: { type: 'delete', path: '/a/b', version: -1 } };
    const buf = encodeTxn(del);
    expect(buf[0]).toBe(TXN_FORMAT_VERSION);
    // version 1 + zxid 5 + time 6 + session 8 + tag 1 + path 5 + version 1
    expect(buf.length).toBe(27);
  });

  test('decoded buffers are copies, independent of the input', () => {
    const input = encodeTxn({ zxid: 1, timeMs: 1, sessionId: 1, op: { type: 'setData', path: '/a', data: bytes('xyz'), version: 0 } });
    const txn = decodeTxn(input);
    input.fill(0);
    expect(txn.op).toMatchObject({ data: bytes('xyz') });
  });
});

describe('txn codec: encode rejects values it cannot represent', () => {
  const base = { zxid: 1, timeMs: 1, sessionId: 1 };
  test.each<[string, Txn]>([
    ['a fractional zxid', { ...base, zxid: 1.5, op: { type: 'noop' } }],
    ['a negative time', { ...base, timeMs: -1, op: { type: 'noop' } }],
    ['an unsafe session id', { ...base, sessionId: 2 ** 53, op: { type: 'noop' } }],
    ['a version beyond int32', { ...base, op: { type: 'delete', path: '/a', version: 2 ** 31 } }],
    ['an unknown create mode', { ...base, op: { type: 'create', path: '/a', data: bytes(''), mode: 'WEIRD' as CreateMode, ttlMs: 0 } }],
    ['a multi inside a multi', { ...base, op: { type: 'multi', ops: [{ type: 'multi', ops: [] } as unknown as MultiSubOp] } }],
    ['an unknown op', { ...base, op: { type: 'explode' } as unknown as TxnOp }],
  ])('%s', (_what, txn) => {
    expect(() => encodeTxn(txn)).toThrow();
  });
});

describe('txn codec: decode rejects malformed input with a DecodeError', () => {
  const sample = encodeTxn({
    zxid: makeZxid(2, 77), timeMs: 1_700_000_000_123, sessionId: 99,
    op: { type: 'multi', ops: [
      { type: 'create', path: '/a', data: bytes('data'), mode: 'PERSISTENT_WITH_TTL', ttlMs: 5000 },
      { type: 'check', path: '/a', version: 3 },
    ] },
  });

  function expectDecodeError(buf: Buffer, message: RegExp): void {
    let caught: unknown;
    try {
      decodeTxn(buf);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DecodeError);
    expect((caught as DecodeError).code).toBe('MARSHALLING_ERROR');
    expect((caught as Error).message).toMatch(message);
  }

  test('every truncation of a valid transaction', () => {
    for (let length = 0; length < sample.length; length++) expectDecodeError(sample.subarray(0, length), /truncated|implausible/);
  });

  test('trailing bytes', () => {
    expectDecodeError(Buffer.concat([sample, Buffer.from([0])]), /1 trailing bytes/);
  });

  test('an unknown format version', () => {
    expectDecodeError(Buffer.from([99, 1, 1]), /unsupported txn format version 99/);
  });

  const header = [TXN_FORMAT_VERSION, 1, 1, ...Buffer.alloc(8)]; // zxid 1, time 1, session 0
  test.each<[string, number[], RegExp]>([
    ['an unknown op tag', [...header, 42], /unknown op tag 42/],
    ['a session op inside a multi', [...header, 5, 1, 7, ...Buffer.alloc(8)], /not allowed inside a multi/],
    ['an implausible multi count', [...header, 5, 0xff, 0xff, 0x03], /implausible multi op count/],
    ['an unknown create mode', [...header, 1, 2, 0x2f, 0x61, 0, 9, 0], /unknown create mode/],
    ['invalid UTF-8 in a path', [...header, 8, 2, 0x2f, 0xff], /not valid UTF-8/],
    ['an overlong varint', [TXN_FORMAT_VERSION, 0x81, 0x00, 1, ...Buffer.alloc(8), 9], /overlong varint/],
    ['a varint beyond 2^53', [TXN_FORMAT_VERSION, ...Array(7).fill(0xff), 0x7f, 1, ...Buffer.alloc(8), 9], /beyond 2\^53/],
    ['a varint that never ends', [TXN_FORMAT_VERSION, ...Array(9).fill(0x80)], /varint too long/],
    ['a version beyond int32', [...header, 2, 2, 0x2f, 0x61, 0x80, 0x80, 0x80, 0x80, 0x10], /int32 out of range/],
    ['a session id that is not an integer', [...header.slice(0, 3), ...Buffer.from(new Float64Array([0.5]).buffer), 9], /session id/],
  ])('%s', (_what, raw, message) => {
    expectDecodeError(Buffer.from(raw), message);
  });

  test('random corruption never escapes as anything but a DecodeError', () => {
    const rand = seededRandom(11);
    const txns = randomTxns(12, 50).map(encodeTxn);
    for (let i = 0; i < 2000; i++) {
      const buf = Buffer.from(pick(rand, txns));
      buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
      try {
        decodeTxn(buf);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
      }
    }
  });
});
