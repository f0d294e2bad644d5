// The checker against a brute-force reference on thousands of small random histories, most
// of them not linearizable: every verdict must agree. This covers what hand-written cases
// cannot: the event-list order, the memo cache, the greedy reads, the sequential-read
// relaxation and the value checks against their definitions.

import { checkLinearizable } from '../../src/checker';
import { createZnodeModel, znodeModel } from '../../src/znode-model';
import type { Operation, ZnodeInput, ZnodeOutput } from '../../src/history';
import { BRUTE_FORCE_OPERATIONS_MAX, bruteForceLinearizable } from './support/brute-force';
import { generateHistory } from './support/history-generator';
import { Prng } from './support/prng';

const DATA = ['a', 'b'];

function randomInput(rng: Prng): ZnodeInput {
  switch (rng.int(5)) {
    case 0: return { op: 'create', data: rng.pick(DATA) };
    case 1: return { op: 'set', data: rng.pick(DATA), version: rng.int(3) - 1 };
    case 2: return { op: 'delete', version: rng.int(3) - 1 };
    case 3: return { op: 'get' };
    default: return { op: 'exists' };
  }
}

/** Outputs a real server might give for the input, right or wrong for the history. */
function randomOutput(rng: Prng, input: ZnodeInput): ZnodeOutput | null {
  const write = input.op !== 'get' && input.op !== 'exists';
  if (rng.chance(write ? 0.3 : 0.1)) return null;
  const version = rng.int(3);
  switch (input.op) {
    case 'create': return rng.chance(0.6) ? { ok: true } : { ok: false, code: 'NODE_EXISTS' };
    case 'set': return rng.pick<ZnodeOutput>([{ ok: true, version }, { ok: false, code: 'NO_NODE' }, { ok: false, code: 'BAD_VERSION' }]);
    case 'delete': return rng.pick<ZnodeOutput>([{ ok: true }, { ok: false, code: 'NO_NODE' }, { ok: false, code: 'BAD_VERSION' }]);
    case 'get': return rng.chance(0.7) ? { ok: true, data: rng.pick(DATA), version } : { ok: false, code: 'NO_NODE' };
    case 'exists': return rng.chance(0.5) ? { ok: true, exists: true, version } : { ok: true, exists: false };
  }
}

function randomHistory(seed: number): Operation[] {
  const rng = new Prng(seed);
  const count = 2 + rng.int(BRUTE_FORCE_OPERATIONS_MAX - 1);
  const clients = 1 + rng.int(3);
  return Array.from({ length: count }, () => {
    const input = randomInput(rng);
    const callMs = rng.int(12);
    const read = input.op === 'get' || input.op === 'exists';
    return {
      clientId: rng.int(clients), key: rng.chance(0.6) ? '/a' : '/b', input, output: randomOutput(rng, input),
      callMs, returnMs: callMs + rng.int(6), ...(read && rng.chance(0.5) ? { consistency: 'sequential' as const } : {}),
    };
  });
}

/** A linearizable history from the simulated store, its data renamed onto a two-letter
 *  alphabet half the time (still linearizable, now with values written twice), and one output
 *  replaced half the time. */
function nearMiss(seed: number): Operation[] {
  const rng = new Prng(seed);
  let history = [...generateHistory({
    seed, clients: 2 + rng.int(3), opsPerClient: 2, keys: 1 + rng.int(2), unknownRate: 0.2, sequentialReadRate: 0.5,
  })];
  if (rng.chance(0.5)) history = renameData(history, rng);
  if (rng.chance(0.5)) {
    const i = rng.int(history.length);
    history[i] = { ...history[i], output: randomOutput(rng, history[i].input) };
  }
  return history;
}

function renameData(history: readonly Operation[], rng: Prng): Operation[] {
  const names = new Map<string, string>();
  const rename = (data: string): string => {
    if (!names.has(data)) names.set(data, rng.pick(DATA));
    return names.get(data) as string;
  };
  return history.map((o) => {
    const input = o.input.op === 'create' || o.input.op === 'set' ? { ...o.input, data: rename(o.input.data) } : o.input;
    const output = o.output !== null && o.output.ok && o.output.data !== undefined ? { ...o.output, data: rename(o.output.data) } : o.output;
    return { ...o, input, output };
  });
}

describe('checker agrees with a brute-force reference', () => {
  test('on 3000 seeded histories of up to 8 operations: random ones and near misses', () => {
    let linearizable = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const history = seed % 2 === 0 ? randomHistory(seed) : nearMiss(seed);
      // Key /b starts out holding 'a' in a third of the runs, as if created before recording.
      const model = seed % 3 === 0 ? createZnodeModel({ initialStates: { '/b': { exists: true, data: 'a', version: 0 } } }) : znodeModel;
      const expected = bruteForceLinearizable(history, model);
      for (const valueChecks of [true, false]) {
        const result = checkLinearizable(history, model, { valueChecks });
        if ((result.ok === true) !== expected) {
          throw new Error(`seed ${seed}${valueChecks ? '' : ' (search only)'}: checker says ${String(result.ok)}, brute force ${expected}\n${JSON.stringify(history)}`);
        }
      }
      if (expected) linearizable++;
    }
    // Both verdicts must be well represented, or the comparison proves little.
    expect(linearizable).toBeGreaterThan(600);
    expect(linearizable).toBeLessThan(2400);
  });
});
