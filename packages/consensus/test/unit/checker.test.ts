// The simulator's checkers must fail when they should: each is fed a fabricated history that
// breaks exactly its property, next to a consistent one that must pass.
import type { Entry } from '@ensemble/consensus';
import { Checker, SimViolation, type LeaderView, type LogView, type ViolationKind } from '../../src/sim/checker';
import { bytes } from './harness';

const value = (index: number, term: number, data: string): Entry => ({ index, term, type: 'normal', data: bytes(data) });
const noop = (index: number, term: number): Entry => ({ index, term, type: 'noop', data: new Uint8Array(0) });

function logOf(...entries: Entry[]): LogView {
  return { logTerm: (i) => (i === 0 ? 0 : entries.find((e) => e.index === i)?.term), snapshotIndex: () => 0 };
}

function violationOf(fn: () => void): ViolationKind | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof SimViolation) return err.violation.kind;
    throw err;
  }
}

describe('simulation checkers', () => {
  test('a consistent history passes every check', () => {
    const checker = new Checker(() => []);
    expect(violationOf(() => {
      checker.observeRole(1, 'leader', 1, logOf());
      checker.observeAppend(1, [noop(1, 1), value(2, 1, 'a')], 0);
      checker.observeAppend(2, [noop(1, 1), value(2, 1, 'a')], 0);
      for (const node of [1, 2]) {
        checker.observeApply(node, noop(1, 1), 1);
        checker.observeApply(node, value(2, 1, 'a'), 1);
      }
      checker.observeAck('a', 2);
      checker.observeRead(1, 'r', 2, 2);
      checker.observeRole(2, 'leader', 2, logOf(noop(1, 1), value(2, 1, 'a')));
      checker.checkFinal([{ id: 1, commit: 2, log: logOf(noop(1, 1), value(2, 1, 'a')) }]);
    })).toBeUndefined();
  });

  test('two leaders in one term: election safety', () => {
    const checker = new Checker(() => []);
    checker.observeRole(1, 'leader', 3, logOf());
    expect(violationOf(() => checker.observeRole(2, 'leader', 3, logOf()))).toBe('election-safety');
  });

  test('same index and term with different content, or a different history before it: log matching', () => {
    const checker = new Checker(() => []);
    checker.observeAppend(1, [value(1, 1, 'a'), value(2, 2, 'b')], 0);
    expect(violationOf(() => checker.observeAppend(2, [value(2, 2, 'c')], 1))).toBe('log-matching');
    expect(violationOf(() => checker.observeAppend(3, [value(2, 2, 'b')], 7))).toBe('log-matching');
  });

  test('divergent applied logs: state machine safety', () => {
    const checker = new Checker(() => []);
    checker.observeApply(1, value(1, 1, 'a'), 1);
    expect(violationOf(() => checker.observeApply(2, value(1, 1, 'b'), 1))).toBe('state-machine-safety');
  });

  test('an entry applied out of order, or a snapshot that does not match the committed state', () => {
    const checker = new Checker(() => []);
    expect(violationOf(() => checker.observeApply(1, value(2, 1, 'a'), 1))).toBe('state-machine-safety');
    const other = new Checker(() => []);
    other.observeApply(1, value(1, 1, 'a'), 1);
    expect(violationOf(() => other.observeStateMachine(2, 1, 12345))).toBe('state-machine-safety');
    expect(violationOf(() => other.observeStateMachine(2, 1, other.hashAt(1) as number))).toBeUndefined();
  });

  test('a new leader without a committed entry: leader completeness', () => {
    const checker = new Checker(() => []);
    checker.observeApply(1, value(1, 1, 'a'), 1);
    expect(violationOf(() => checker.observeRole(2, 'leader', 2, logOf(value(1, 2, 'x'))))).toBe('leader-completeness');
  });

  test('an entry committed after a later-term leader was elected, missing from that leader: leader completeness', () => {
    const leaders: LeaderView[] = [{ id: 3, term: 5, log: logOf() }];
    const checker = new Checker(() => leaders);
    expect(violationOf(() => checker.observeApply(1, value(1, 4, 'a'), 4))).toBe('leader-completeness');
  });

  test('one value at two indexes: duplicate apply', () => {
    const checker = new Checker(() => []);
    checker.observeApply(1, value(1, 1, 'a'), 1);
    expect(violationOf(() => checker.observeApply(1, value(2, 1, 'a'), 1))).toBe('duplicate-apply');
  });

  test('an acknowledged value that is not in the committed log: lost write', () => {
    const checker = new Checker(() => []);
    checker.observeApply(1, value(1, 1, 'a'), 1);
    expect(violationOf(() => checker.observeAck('b', 1))).toBe('lost-write');
    checker.observeAck('a', 1);
    expect(violationOf(() => checker.checkFinal([{ id: 2, commit: 0, log: logOf() }]))).toBe('lost-write');
  });

  test('a read point before an acknowledged write: stale read', () => {
    const checker = new Checker(() => []);
    expect(violationOf(() => checker.observeRead(1, 'r', 5, 4))).toBe('stale-read');
  });
});
