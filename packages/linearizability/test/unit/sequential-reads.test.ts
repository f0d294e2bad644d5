// ZooKeeper's default reads are served by the server a client is connected to: sequentially
// consistent, not linearizable. What is checked for a read marked 'sequential': it follows
// every operation of its own client (on that key) that returned before it was called, and
// it precedes every operation called after it returned; it may precede other clients' writes
// that had completed before its call.

import { checkLinearizable } from '../../src/checker';
import type { Operation } from '../../src/history';
import { op, seqOp, zi, zo } from './support/ops';

const setup: Operation[] = [
  op(1, 0, 1, zi.create('old'), zo.ok()),
  op(1, 2, 3, zi.set('new'), zo.ok({ version: 1 })),
];
const OLD = zo.ok({ data: 'old', version: 0 });
const NEW = zo.ok({ data: 'new', version: 1 });

describe('sequential reads', () => {
  test('may be stale across clients: another client\'s completed write is not yet visible', () => {
    expect(checkLinearizable([...setup, seqOp(2, 4, 5, zi.get(), OLD)]).ok).toBe(true);
  });

  test('the same stale read marked linearizable is rejected', () => {
    expect(checkLinearizable([...setup, op(2, 4, 5, zi.get(), OLD)]).ok).toBe(false);
  });

  test('may not miss the client\'s own completed write (read your writes)', () => {
    const result = checkLinearizable([...setup, seqOp(1, 4, 5, zi.get(), OLD)]);
    expect(result.ok).toBe(false);
    if (result.ok === false) expect(result.explanation.blocking.index).toBe(2);
  });

  test('may not go back from what the client saw before (monotonic reads)', () => {
    const history = [...setup, seqOp(2, 4, 5, zi.get(), NEW), seqOp(2, 6, 7, zi.get(), OLD)];
    expect(checkLinearizable(history).ok).toBe(false);
  });

  test('may not go back from what a linearizable read of the client saw', () => {
    const history = [...setup, op(2, 4, 5, zi.get(), NEW), seqOp(2, 6, 7, zi.exists(), zo.ok({ exists: true, version: 0 }))];
    expect(checkLinearizable(history).ok).toBe(false);
  });

  test('may stay stale over several reads of a lagging server', () => {
    const history = [...setup, seqOp(2, 4, 5, zi.get(), OLD), seqOp(2, 6, 7, zi.get(), OLD), seqOp(2, 8, 9, zi.get(), NEW)];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('another client may be stale while this one is not', () => {
    const history = [...setup, seqOp(2, 4, 5, zi.get(), NEW), seqOp(3, 6, 7, zi.get(), OLD)];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('may not see a write called after the read returned', () => {
    const history = [...setup, seqOp(2, 4, 5, zi.get(), zo.ok({ data: 'future' })), op(3, 6, 7, zi.set('future'), zo.ok())];
    expect(checkLinearizable(history).ok).toBe(false);
  });

  test('may not see the client\'s own later write', () => {
    const history = [op(1, 0, 1, zi.create('x'), zo.ok()), seqOp(2, 2, 3, zi.get(), zo.ok({ data: 'y' })), op(2, 4, 5, zi.set('y'), zo.ok())];
    expect(checkLinearizable(history).ok).toBe(false);
  });

  test('a stale NO_NODE before the node was created, from a follower that has not applied it', () => {
    const history = [op(1, 0, 1, zi.create('x'), zo.ok()), seqOp(2, 5, 6, zi.get(), zo.fail('NO_NODE'))];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('a pipelining client: the read follows every operation that returned before its call', () => {
    const history = [
      op(1, -2, -1, zi.create('x'), zo.ok()),
      op(2, 0, 10, zi.get(), zo.ok({ data: 'x' })), // A, slow
      op(2, 1, 2, zi.set('b'), zo.ok()), // B, returned before C was called
      op(2, 5, 20, zi.get(), zo.ok({ data: 'b' })), // C
      seqOp(2, 11, 12, zi.get(), zo.ok({ data: 'x' })), // after A returned: must still follow B
    ];
    expect(checkLinearizable(history, undefined, { valueChecks: false }).ok).toBe(false);
  });

  test('client order is per key: other keys are not constrained', () => {
    const history = [
      ...setup,
      op(2, 4, 5, zi.create('b'), zo.ok(), { key: '/b' }),
      seqOp(2, 6, 7, zi.get(), OLD),
    ];
    expect(checkLinearizable(history).ok).toBe(true);
  });
});
