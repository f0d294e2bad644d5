import type { Message } from '@ensemble/consensus';
import { decodeBatch, encodeBatch, type PeerItem } from '../../../src/ensemble/peer-codec';
import { DecodeError } from '../../../src/tree/byte-reader';

const bytes = (s: string): Buffer => Buffer.from(s);
const base = { from: 1, to: 2, term: 7 };

const MESSAGES: Message[] = [
  { ...base, type: 'append', prevIndex: 10, prevTerm: 6, commit: 9, entries: [
    { term: 7, index: 11, type: 'noop', data: Buffer.alloc(0) },
    { term: 7, index: 12, type: 'normal', data: bytes('payload') },
    { term: 7, index: 13, type: 'config', data: bytes('c') },
  ] },
  { ...base, type: 'append', prevIndex: 0, prevTerm: 0, commit: 0, entries: [] },
  { ...base, type: 'appendResponse', reject: true, index: 12, rejectHint: 5, rejectHintTerm: 3 },
  { ...base, type: 'appendResponse', reject: false, index: 13, rejectHint: 0, rejectHintTerm: 0 },
  { ...base, type: 'heartbeat', commit: 13, readSeq: 4 },
  { ...base, type: 'heartbeatResponse', readSeq: 4 },
  { ...base, type: 'vote', lastIndex: 13, lastTerm: 7, transfer: false },
  { ...base, type: 'preVote', lastIndex: 13, lastTerm: 7, transfer: true },
  { ...base, type: 'voteResponse', reject: false },
  { ...base, type: 'preVoteResponse', reject: true },
  { ...base, type: 'snapshot', snapshot: { index: 100, term: 6, voters: [1, 2, 3], data: bytes('tree bytes') } },
  { ...base, type: 'timeoutNow' },
  { ...base, type: 'persisted', index: 13 },
  { ...base, type: 'readIndex', ctx: '12345.6' },
  { ...base, type: 'readIndexResponse', ctx: '12345.6', index: 99 },
];

test('every Raft message type survives a round trip through one batch', () => {
  const items: PeerItem[] = MESSAGES.map((message) => ({ kind: 'raft', message }));
  expect(decodeBatch(encodeBatch(items))).toEqual(items);
});

test('forwarded writes, refusals and session touches round-trip, mixed with Raft traffic', () => {
  const items: PeerItem[] = [
    { kind: 'forward', incarnation: 77, requestId: 2 ** 45, txn: bytes('txn bytes') },
    { kind: 'raft', message: MESSAGES[4] },
    { kind: 'reject', incarnation: 77, requestId: 3, code: 'NOT_LEADER' },
    { kind: 'touch', sessionIds: [1, 2 ** 44 + 5, Number.MAX_SAFE_INTEGER] },
    { kind: 'touch', sessionIds: [] },
  ];
  expect(decodeBatch(encodeBatch(items))).toEqual(items);
});

test('an empty batch is valid', () => {
  expect(decodeBatch(encodeBatch([]))).toEqual([]);
});

test('garbage is a DecodeError, never a crash or a huge allocation', () => {
  const good = encodeBatch(MESSAGES.map((message) => ({ kind: 'raft', message }) as PeerItem));
  expect(() => decodeBatch(Buffer.from([9]))).toThrow(DecodeError); // unknown version
  expect(() => decodeBatch(Buffer.from([1, 0xff, 0xff, 0xff, 0x7f]))).toThrow(DecodeError); // absurd count
  expect(() => decodeBatch(Buffer.from([1, 1, 42]))).toThrow(DecodeError); // unknown item tag
  expect(() => decodeBatch(Buffer.from([1, 1, 1, 99]))).toThrow(DecodeError); // unknown message type
  for (let cut = 1; cut < good.length; cut += 7) expect(() => decodeBatch(good.subarray(0, cut))).toThrow(DecodeError);
  expect(() => decodeBatch(Buffer.concat([good, Buffer.from([0])]))).toThrow(DecodeError); // trailing bytes
});

test('commit hints round-trip', () => {
  const items: PeerItem[] = [{ kind: 'commit', term: 9, index: 2 ** 33 }];
  expect(decodeBatch(encodeBatch(items))).toEqual(items);
});
