// Measured, not asserted (STYLE.md: never gate on absolute times): the shape of a fault test's
// history, 20 clients x 500 operations over 50 keys, must get its verdict; the time is printed.

import { checkLinearizable } from '../../src/checker';
import { corruptOneRead, generateHistory, staleOneRead } from './support/history-generator';

const SHAPE = { clients: 20, opsPerClient: 500, keys: 50, unknownRate: 0.02, sequentialReadRate: 0.3 };

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

describe('a fault-test-sized history', () => {
  const history = generateHistory({ seed: 42, ...SHAPE });

  test('20 clients x 500 operations over 50 keys is checked: linearizable', () => {
    const { value: result, ms } = timed(() => checkLinearizable(history));
    expect(history).toHaveLength(10_000);
    expect(result.ok).toBe(true);
    console.log(`checked ${history.length} operations on ${result.stats.partitions} keys in ${ms.toFixed(0)} ms (${result.stats.steps} steps)`);
  });

  test('the same history with one read of a never-written value is rejected', () => {
    const corrupted = corruptOneRead(history, 42);
    if (corrupted === null) throw new Error('no read to corrupt');
    const { value: result, ms } = timed(() => checkLinearizable(corrupted.history));
    expect(result.ok).toBe(false);
    console.log(`rejected a never-written read in ${ms.toFixed(0)} ms (${result.stats.steps} steps)`);
  });

  test('the same history with one stale read is rejected, from the values and by the search', () => {
    const stale = staleOneRead(history, 42);
    if (stale === null) throw new Error('no read to make stale');
    const quick = timed(() => checkLinearizable(stale.history));
    const searched = timed(() => checkLinearizable(stale.history, undefined, { valueChecks: false }));
    expect(quick.value.ok).toBe(false);
    expect(searched.value.ok).toBe(false);
    console.log(`rejected a stale read in ${quick.ms.toFixed(0)} ms from the values, ${searched.ms.toFixed(0)} ms by the search (${searched.value.stats.steps} steps)`);
  });

  test('20 clients on one key (maximum contention), 2000 operations', () => {
    const hot = generateHistory({ ...SHAPE, seed: 7, opsPerClient: 100, keys: 1 });
    const { value: result, ms } = timed(() => checkLinearizable(hot));
    expect(result.ok).toBe(true);
    console.log(`checked ${hot.length} operations on one key in ${ms.toFixed(0)} ms (${result.stats.steps} steps)`);
  });
});
