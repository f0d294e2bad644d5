import { decodeEnvelope, encodeEnvelope, txnOfEntry, zxidOf } from '../../../src/ensemble/entry-envelope';
import { DecodeError } from '../../../src/tree/byte-reader';
import { encodeTxn } from '../../../src/tree/txn-codec';
import { zxidCounter, zxidEpoch } from '../../../src/tree/types';

describe('entry envelope', () => {
  const txn = encodeTxn({ zxid: 0, timeMs: 0, sessionId: 0x1_2345_6789, op: { type: 'setData', path: '/a', data: Buffer.from('v'), version: -1 } });

  test('round-trips origin, incarnation, request id, leader time and the transaction', () => {
    const env = { origin: 3, incarnation: 2 ** 31 - 1, requestId: 2 ** 40 + 7, timeMs: 1_760_000_000_123, txn };
    const back = decodeEnvelope(encodeEnvelope(env));
    expect(back).toEqual({ ...env, txn: Buffer.from(txn) });
  });

  test('the applied transaction takes the leader\'s time and the zxid of its log position', () => {
    const env = decodeEnvelope(encodeEnvelope({ origin: 1, incarnation: 5, requestId: 9, timeMs: 1234, txn }));
    const applied = txnOfEntry(env, 7, 42);
    expect(applied).toEqual({ zxid: 7 * 2 ** 32 + 42, timeMs: 1234, sessionId: 0x1_2345_6789, op: { type: 'setData', path: '/a', data: Buffer.from('v'), version: -1 } });
  });

  test('rejects a foreign format version and truncated input', () => {
    const good = encodeEnvelope({ origin: 1, incarnation: 1, requestId: 1, timeMs: 1, txn });
    const bad = Buffer.from(good);
    bad[0] = 99;
    expect(() => decodeEnvelope(bad)).toThrow(DecodeError);
    expect(() => decodeEnvelope(good.subarray(0, 3))).toThrow(DecodeError);
  });
});

describe('zxid of a log position', () => {
  test('term in the high 32 bits, index in the low 32', () => {
    const z = zxidOf(3, 17);
    expect(zxidEpoch(z)).toBe(3);
    expect(zxidCounter(z)).toBe(17);
  });

  test('increases strictly along a log: by index within a term, and across a term change', () => {
    const log: Array<[number, number]> = [[1, 1], [1, 2], [1, 3], [2, 4], [2, 5], [5, 6], [5, 2 ** 32 - 1]];
    const zxids = log.map(([term, index]) => zxidOf(term, index));
    for (let i = 1; i < zxids.length; i++) expect(zxids[i]).toBeGreaterThan(zxids[i - 1]);
  });

  test('refuses positions a 64-bit zxid in a JS number cannot hold', () => {
    expect(() => zxidOf(0, 1)).toThrow();
    expect(() => zxidOf(2 ** 21, 1)).toThrow();
    expect(() => zxidOf(1, 2 ** 32)).toThrow();
    expect(() => zxidOf(1, 0)).toThrow();
    expect(zxidOf(2 ** 21 - 1, 2 ** 32 - 1)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
