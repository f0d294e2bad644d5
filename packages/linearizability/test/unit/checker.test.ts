import { checkLinearizable, type CheckResult } from '../../src/checker';
import type { Operation } from '../../src/history';
import { createZnodeModel } from '../../src/znode-model';
import { CLOCK_CHECK_INTERVAL_STEPS } from '../../src/step-budget';
import { op, zi, zo } from './support/ops';

function expectIllegal(result: CheckResult): Extract<CheckResult, { ok: false }> {
  if (result.ok !== false) throw new Error(`expected a violation, got ${JSON.stringify(result)}`);
  return result;
}

function involved(result: CheckResult): number[] {
  return expectIllegal(result).explanation.candidates.map((c) => c.index).sort((a, b) => a - b);
}

describe('linearizable histories pass', () => {
  test('an empty history', () => {
    expect(checkLinearizable([]).ok).toBe(true);
  });

  test('one client: create, set, get, delete, exists', () => {
    const history: Operation[] = [
      op(1, 0, 1, zi.create('x'), zo.ok()),
      op(1, 2, 3, zi.set('y', 0), zo.ok({ version: 1 })),
      op(1, 4, 5, zi.get(), zo.ok({ data: 'y', version: 1 })),
      op(1, 6, 7, zi.delete(1), zo.ok()),
      op(1, 8, 9, zi.exists(), zo.ok({ exists: false })),
      op(1, 10, 11, zi.create('z'), zo.ok()),
      op(1, 12, 13, zi.get(), zo.ok({ data: 'z', version: 0 })), // ZooKeeper: a re-created node restarts at version 0
    ];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('overlapping writes take effect in the order the reads imply', () => {
    const history: Operation[] = [
      op(0, 0, 1, zi.create('x'), zo.ok()),
      op(1, 2, 20, zi.set('a'), zo.ok()),
      op(2, 3, 19, zi.set('b'), zo.ok()),
      op(3, 4, 6, zi.get(), zo.ok({ data: 'b', version: 1 })), // b went first, while both were in flight
      op(3, 21, 22, zi.get(), zo.ok({ data: 'a', version: 2 })),
    ];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('a BAD_VERSION explained by a concurrent write', () => {
    const history: Operation[] = [
      op(0, 0, 1, zi.create('x'), zo.ok()),
      op(1, 2, 10, zi.set('a', 0), zo.ok({ version: 1 })),
      op(2, 3, 9, zi.set('b', 0), zo.fail('BAD_VERSION')),
    ];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('a compare-and-set loop: each conditional set wins exactly once per version', () => {
    const history: Operation[] = [
      op(0, 0, 1, zi.create('0'), zo.ok()),
      op(1, 2, 6, zi.set('1', 0), zo.ok({ version: 1 })),
      op(2, 3, 7, zi.set('2', 0), zo.fail('BAD_VERSION')),
      op(2, 8, 9, zi.get(), zo.ok({ data: '1', version: 1 })),
      op(2, 10, 12, zi.set('3', 1), zo.ok({ version: 2 })),
    ];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('operations that touch in time may go either way', () => {
    const history: Operation[] = [
      op(0, 0, 5, zi.create('x'), zo.ok()),
      op(1, 5, 6, zi.exists(), zo.ok({ exists: false })), // called as the create returned
    ];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('operations that touch in time are concurrent, also to the overwrite check', () => {
    const readTouchesOverwrite: Operation[] = [
      op(1, 0, 2, zi.create('old'), zo.ok()),
      op(1, 3, 4, zi.set('new'), zo.ok({ version: 1 })),
      op(2, 4, 6, zi.get(), zo.ok({ data: 'old', version: 0 })), // called as the set returned
    ];
    expect(checkLinearizable(readTouchesOverwrite).ok).toBe(true);
    const overwriteTouchesWrite: Operation[] = [
      op(0, 0, 1, zi.create('x'), zo.ok()),
      op(1, 2, 4, zi.set('old'), zo.ok()),
      op(2, 4, 6, zi.set('new'), zo.ok()), // called as the other set returned: may go first
      op(3, 7, 8, zi.get(), zo.ok({ data: 'old', version: 2 })),
    ];
    expect(checkLinearizable(overwriteTouchesWrite).ok).toBe(true);
  });

  test('create NO_NODE (missing parent) on an absent node, and delete NOT_EMPTY on a present one', () => {
    const history: Operation[] = [
      op(1, 0, 1, zi.create('x'), zo.fail('NO_NODE')),
      op(1, 2, 3, zi.create('x'), zo.ok()),
      op(1, 4, 5, zi.delete(0), zo.fail('NOT_EMPTY')),
      op(1, 6, 7, zi.get(), zo.ok({ data: 'x', version: 0 })),
    ];
    expect(checkLinearizable(history).ok).toBe(true);
  });
});

describe('violations are found and explained', () => {
  const staleRead: Operation[] = [
    op(1, 0, 1, zi.create('old'), zo.ok()),
    op(1, 2, 3, zi.set('new'), zo.ok({ version: 1 })),
    op(2, 4, 5, zi.get(), zo.ok({ data: 'old', version: 0 })),
  ];

  test('a stale read after a completed write: found from the values alone', () => {
    const result = expectIllegal(checkLinearizable(staleRead));
    expect(result.key).toBe('/a');
    expect(result.explanation.cause).toBe('value-overwritten');
    expect(result.explanation.candidates.map((c) => c.index)).toEqual([0, 1, 2]); // writer, overwriter, read
    expect(result.explanation.message).toContain('overwritten before it was called');
    expect(result.stats.steps).toBe(0);
  });

  test('a stale read after a completed write: found by the search', () => {
    const result = expectIllegal(checkLinearizable(staleRead, undefined, { valueChecks: false }));
    expect(result.key).toBe('/a');
    expect(result.explanation.cause).toBe('no-legal-order');
    expect(result.explanation.blocking.index).toBe(2);
    expect(result.explanation.longestLinearizedPrefix.map((o) => o.index)).toEqual([0, 1]);
    expect(result.explanation.stateAfterPrefix).toEqual([{ exists: true, data: 'new', version: 1 }]);
    expect(result.explanation.message).toContain('get() -> ok data="old" version=0');
  });

  test('two creates of one node both succeeding', () => {
    const history: Operation[] = [
      op(1, 0, 10, zi.create('a'), zo.ok()),
      op(2, 1, 11, zi.create('b'), zo.ok()),
    ];
    const result = expectIllegal(checkLinearizable(history));
    expect(result.explanation.longestLinearizedPrefix.map((o) => o.index)).toEqual([0]);
    expect(involved(result)).toEqual([1]);
  });

  test('a lost acknowledged write: set acked, a later read sees the old value', () => {
    const history: Operation[] = [
      op(1, 0, 1, zi.create('v1'), zo.ok()),
      op(1, 2, 3, zi.set('v2', 0), zo.ok({ version: 1 })),
      op(2, 10, 11, zi.get(), zo.ok({ data: 'v2', version: 1 })),
      op(3, 20, 21, zi.get(), zo.ok({ data: 'v1', version: 0 })), // e.g. after a leader change
    ];
    expect(involved(checkLinearizable(history))).toEqual([0, 1, 3]);
    expect(involved(checkLinearizable(history, undefined, { valueChecks: false }))).toEqual([3]);
  });

  test('a lost write seen only through versions needs the search', () => {
    const history: Operation[] = [
      op(1, 0, 1, zi.create('v1'), zo.ok()),
      op(1, 2, 3, zi.set('v2', 0), zo.ok({ version: 1 })),
      op(3, 20, 21, zi.exists(), zo.ok({ exists: true, version: 0 })),
    ];
    const result = expectIllegal(checkLinearizable(history));
    expect(result.explanation.cause).toBe('no-legal-order');
    expect(involved(result)).toEqual([2]);
  });

  test('an overwritten value read by a sequential read of another client is not a value anomaly', () => {
    const history: Operation[] = [
      op(1, 0, 1, zi.create('old'), zo.ok()),
      op(1, 2, 3, zi.set('new'), zo.ok({ version: 1 })),
      op(2, 4, 5, zi.get(), zo.ok({ data: 'old', version: 0 }), { consistency: 'sequential' }),
    ];
    expect(checkLinearizable(history).ok).toBe(true);
    const ownClient = history.map((o, i) => (i === 2 ? { ...o, clientId: 1 } : o));
    expect(expectIllegal(checkLinearizable(ownClient)).explanation.cause).toBe('value-overwritten');
  });

  test('a BAD_VERSION that nothing explains', () => {
    const history: Operation[] = [
      op(1, 0, 1, zi.create('x'), zo.ok()),
      op(2, 2, 3, zi.set('y', 0), zo.fail('BAD_VERSION')),
    ];
    expect(involved(checkLinearizable(history))).toEqual([1]);
  });

  test('a version that went backwards', () => {
    const history: Operation[] = [
      op(1, 0, 1, zi.create('x'), zo.ok()),
      op(1, 2, 3, zi.set('y'), zo.ok({ version: 1 })),
      op(2, 4, 5, zi.set('z'), zo.ok({ version: 1 })),
    ];
    expectIllegal(checkLinearizable(history));
  });

  test('reads that put two overlapping writes in both orders', () => {
    const history: Operation[] = [
      op(0, 0, 1, zi.create('x'), zo.ok()),
      op(1, 2, 20, zi.set('a'), zo.ok()),
      op(2, 3, 19, zi.set('b'), zo.ok()),
      op(3, 21, 22, zi.get(), zo.ok({ data: 'a' })),
      op(4, 23, 24, zi.get(), zo.ok({ data: 'b' })),
    ];
    expectIllegal(checkLinearizable(history));
  });

  test('a read of a value nobody wrote is rejected without a search', () => {
    const history: Operation[] = [
      op(1, 0, 1, zi.create('x'), zo.ok()),
      ...Array.from({ length: 30 }, (_, i) => op(i + 2, 2, 0, zi.set(`v${i}`), null)),
      op(40, 3, 4, zi.get(), zo.ok({ data: 'garbage' })),
    ];
    const result = expectIllegal(checkLinearizable(history));
    expect(result.explanation.cause).toBe('value-never-written');
    expect(result.explanation.blocking.index).toBe(31);
    expect(result.explanation.message).toContain('no operation wrote');
    expect(result.stats.steps).toBe(0);
  });

  test('the failing key is reported among several', () => {
    const history: Operation[] = [
      op(1, 0, 1, zi.create('x'), zo.ok(), { key: '/ok' }),
      op(1, 0, 1, zi.create('x'), zo.ok(), { key: '/bad' }),
      op(2, 2, 3, zi.get(), zo.ok({ data: 'x' }), { key: '/ok' }),
      op(2, 2, 3, zi.get(), zo.fail('NO_NODE'), { key: '/bad' }),
    ];
    const result = expectIllegal(checkLinearizable(history));
    expect(result.key).toBe('/bad');
    expect(result.explanation.blocking.index).toBe(3);
  });
});

describe('unknown outcomes: may take effect any time after the call, or never', () => {
  const created = op(1, 0, 0, zi.create('x'), null);

  test('one that took effect', () => {
    expect(checkLinearizable([created, op(2, 5, 6, zi.get(), zo.ok({ data: 'x' }))]).ok).toBe(true);
  });

  test('one that never did', () => {
    expect(checkLinearizable([created, op(2, 5, 6, zi.get(), zo.fail('NO_NODE'))]).ok).toBe(true);
  });

  test('one that took effect late, after a read missed it', () => {
    const history = [created, op(2, 5, 6, zi.get(), zo.fail('NO_NODE')), op(2, 100, 101, zi.get(), zo.ok({ data: 'x' }))];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('but not one that took effect before it was called', () => {
    const late = op(1, 10, 0, zi.create('x'), null);
    expectIllegal(checkLinearizable([op(2, 0, 5, zi.get(), zo.ok({ data: 'x' })), late]));
  });

  test('and not one seen to take effect and then to be undone', () => {
    const history = [created, op(2, 5, 6, zi.get(), zo.ok({ data: 'x' })), op(2, 7, 8, zi.get(), zo.fail('NO_NODE'))];
    expect(involved(checkLinearizable(history))).toEqual([2]);
  });

  test('a conditional set with an unknown outcome explains a later version', () => {
    const history = [
      op(1, 0, 1, zi.create('x'), zo.ok()),
      op(1, 2, 0, zi.set('y', 0), null),
      op(2, 50, 51, zi.set('z', 1), zo.ok({ version: 2 })),
    ];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('one seen by a read stays in effect until overwritten', () => {
    const history = [
      op(0, 0, 1, zi.create('x'), zo.ok()),
      op(1, 2, 0, zi.set('y'), null),
      op(2, 5, 6, zi.get(), zo.ok({ data: 'y', version: 1 })),
      op(3, 10, 11, zi.set('z', 1), zo.ok({ version: 2 })),
      op(2, 12, 13, zi.get(), zo.ok({ data: 'z', version: 2 })),
    ];
    expect(checkLinearizable(history).ok).toBe(true);
    const undone = [...history, op(2, 14, 15, zi.get(), zo.ok({ data: 'y' }))];
    expect(involved(checkLinearizable(undone))).toEqual([5]);
  });

  test('one that never did, though another write wrote the same value', () => {
    const history = [
      op(0, 0, 1, zi.create('x'), zo.ok()),
      op(1, 2, 0, zi.set('a'), null), // never took effect
      op(2, 3, 4, zi.set('a'), zo.ok({ version: 1 })),
      op(3, 5, 6, zi.get(), zo.ok({ data: 'a', version: 1 })),
      op(3, 10, 11, zi.get(), zo.ok({ data: 'a', version: 1 })),
    ];
    expect(checkLinearizable(history).ok).toBe(true);
  });

  test('one that never did, though the node held that value from the start', () => {
    const model = createZnodeModel({ initialStates: { '/a': { exists: true, data: 'a', version: 0 } } });
    const history = [
      op(1, 0, 0, zi.set('a'), null), // never took effect
      op(2, 1, 2, zi.get(), zo.ok({ data: 'a', version: 0 })),
      op(2, 5, 6, zi.get(), zo.ok({ data: 'a', version: 0 })),
    ];
    expect(checkLinearizable(history, model).ok).toBe(true);
  });

  test('an unknown-outcome read constrains nothing', () => {
    const history = [op(1, 0, 1, zi.create('x'), zo.ok()), op(2, 2, 0, zi.get(), null)];
    const result = checkLinearizable(history);
    expect(result.ok).toBe(true);
  });
});

describe('the search budget', () => {
  // Many overlapping unknown writes and a read no order explains (data of version 0 at
  // version 3): the search must try every subset of the writes to say so.
  const wide: Operation[] = [
    op(0, 0, 1, zi.create('0'), zo.ok()),
    ...Array.from({ length: 9 }, (_, i) => op(i + 1, 2, 0, zi.set(`v${i}`), null)),
    op(99, 3, 4, zi.get(), zo.ok({ data: '0', version: 3 })),
  ];

  test('running out of steps gives unknown, not a verdict', () => {
    const result = checkLinearizable(wide, undefined, { maxSteps: 100 });
    expect(result).toMatchObject({ ok: 'unknown', reason: 'timeout', limit: 'steps', key: '/a' });
  });

  test('with enough steps the same history gets its verdict', () => {
    const result = checkLinearizable(wide);
    expect(result.ok).toBe(false);
    expect(result.stats.steps).toBeGreaterThan(CLOCK_CHECK_INTERVAL_STEPS); // so the clock below is read
  });

  test('an injected clock bounds wall time', () => {
    let nowMs = 0;
    const now = (): number => (nowMs += 5);
    const result = checkLinearizable(wide, undefined, { now, timeoutMs: 10 });
    expect(result).toMatchObject({ ok: 'unknown', reason: 'timeout', limit: 'time' });
  });

  test('a timeout without a clock is refused', () => {
    expect(() => checkLinearizable([], undefined, { timeoutMs: 10 })).toThrow(/injected now/);
  });
});

describe('malformed histories are refused loudly', () => {
  test('a return before the call', () => {
    expect(() => checkLinearizable([op(1, 5, 4, zi.get(), zo.fail('NO_NODE'))])).toThrow(/returns before it is called/);
  });

  test('a sequential write', () => {
    expect(() => checkLinearizable([op(1, 0, 1, zi.create('x'), zo.ok(), { consistency: 'sequential' })]))
      .toThrow(/only reads may be 'sequential'/);
  });
});
