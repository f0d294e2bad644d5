// Seeded histories of a simulated sequential store under random concurrency, lost outcomes
// and lagging reads: linearizable by construction, so the checker must accept every one;
// and each with one read's value replaced by one never written, or by one overwritten before
// the read was called, which it must reject.
// A failing seed replays exactly: generateHistory({ seed, ...SHAPE }).

import { checkLinearizable } from '../../src/checker';
import { corruptOneRead, generateHistory, staleOneRead } from './support/history-generator';

const SHAPE = { clients: 5, opsPerClient: 40, keys: 3, unknownRate: 0.05, sequentialReadRate: 0.3 };
const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

describe('random histories from a sequential store', () => {
  test('every generated history is linearizable', () => {
    for (const seed of SEEDS) {
      const result = checkLinearizable(generateHistory({ seed, ...SHAPE }));
      if (result.ok !== true) {
        throw new Error(`seed ${seed}: ${result.ok === false ? result.explanation.message : 'budget ran out'}`);
      }
    }
  });

  test('a read of a value never written is caught, on its key', () => {
    for (const seed of SEEDS) {
      const corrupted = corruptOneRead(generateHistory({ seed, ...SHAPE }), seed);
      if (corrupted === null) continue;
      const result = checkLinearizable(corrupted.history);
      if (result.ok !== false) throw new Error(`seed ${seed}: corrupted read #${corrupted.index} not caught`);
      expect(result.key).toBe(corrupted.history[corrupted.index].key);
    }
  });

  test('a stale read of an overwritten value is caught, from the values and by the search', () => {
    let caught = 0;
    for (const seed of SEEDS) {
      const stale = staleOneRead(generateHistory({ seed, ...SHAPE }), seed);
      if (stale === null) continue;
      const quick = checkLinearizable(stale.history);
      const searched = checkLinearizable(stale.history, undefined, { valueChecks: false });
      if (quick.ok !== false || searched.ok !== false) throw new Error(`seed ${seed}: stale read #${stale.index} not caught`);
      expect(quick.explanation.cause).toBe('value-overwritten');
      expect(searched.explanation.cause).toBe('no-legal-order');
      caught++;
    }
    expect(caught).toBeGreaterThan(SEEDS.length / 2);
  });

  test('the generator produces what the checks above need', () => {
    const history = generateHistory({ seed: 1, ...SHAPE });
    expect(history).toHaveLength(SHAPE.clients * SHAPE.opsPerClient);
    expect(history.some((o) => o.output === null)).toBe(true);
    expect(history.some((o) => o.consistency === 'sequential')).toBe(true);
    // Lagging reads really are stale: checked as linearizable, most histories fail.
    const strict = SEEDS.filter((seed) => {
      const h = generateHistory({ seed, ...SHAPE }).map((o) => ({ ...o, consistency: undefined }));
      return checkLinearizable(h).ok === false;
    });
    expect(strict.length).toBeGreaterThan(SEEDS.length / 2);
  });
});
