// Deterministic simulation: the real core under seeded faults (loss, duplication, reordering,
// symmetric and one-way partitions, crashes with torn writes, clock drift, leadership transfers),
// a safety phase then a healed liveness phase, with the checkers on throughout.
import { runSimulation, type SimResult } from '@ensemble/consensus';

const SEEDS = 1000;

/** Seeds cycle through the fault profiles; cluster size alternates every full cycle, so each profile runs with 3 and 5 nodes. */
function nodesFor(seed: number): number {
  return Math.floor((seed - 1) / 6) % 2 === 0 ? 3 : 5;
}

function report(r: Extract<SimResult, { ok: false }>): string {
  return `seed ${r.seed}: ${r.violation.kind}: ${r.violation.message}\n  replay: ${r.replay}\n  ${r.traceTail.join('\n  ')}`;
}

describe('simulation', () => {
  test(`${SEEDS} seeds, 3 and 5 nodes, every fault profile: no violation, and every fault really happened`, () => {
    const failures: string[] = [];
    const totals = { crashes: 0, tornWrites: 0, partitions: 0, transfers: 0, snapshotsSent: 0, acked: 0, readsAnswered: 0, lost: 0, duplicated: 0 };
    const sizes = new Set<number>();
    const profiles = new Set<string>();
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = runSimulation({ seed, nodes: nodesFor(seed) });
      if (!r.ok) failures.push(report(r));
      const s = r.stats;
      sizes.add(s.nodes);
      profiles.add(s.profile);
      totals.crashes += s.crashes;
      totals.tornWrites += s.tornWrites;
      totals.partitions += s.partitions;
      totals.transfers += s.transfers;
      totals.snapshotsSent += s.snapshotsSent;
      totals.acked += s.clients.acked;
      totals.readsAnswered += s.clients.readsAnswered;
      totals.lost += s.network.lost;
      totals.duplicated += s.network.duplicated;
    }
    expect(failures).toEqual([]);
    expect([...sizes].sort()).toEqual([3, 5]);
    expect(profiles.size).toBe(6);
    for (const [fault, count] of Object.entries(totals)) expect([fault, count > 0]).toEqual([fault, true]);
  }, 120_000);

  test('a seed replays exactly: same trace, same outcome', () => {
    const run = (): { lines: string[]; result: SimResult } => {
      const lines: string[] = [];
      const result = runSimulation({ seed: 11, nodes: 5, steps: 300, trace: true, onTrace: (line) => lines.push(line) });
      return { lines, result };
    };
    const first = run();
    const second = run();
    expect(first.lines.length).toBeGreaterThan(100);
    expect(second.lines).toEqual(first.lines);
    expect(second.result).toEqual(first.result);
  });

  test('a deliberately broken shell (sending before persisting) is caught, with the seed and the replay command', () => {
    const failures: Array<Extract<SimResult, { ok: false }>> = [];
    for (let seed = 1; seed <= 40; seed++) {
      const r = runSimulation({ seed, profile: 'crashes', faults: { tornWriteRate: 0.1 }, sendBeforePersist: true });
      if (!r.ok) failures.push(r);
    }
    expect(failures.length).toBeGreaterThanOrEqual(5);
    const first = failures[0] as Extract<SimResult, { ok: false }>;
    expect(first.replay).toContain(`--seed ${first.seed} `);
    expect(first.traceTail.length).toBeGreaterThan(10);
    expect(first.traceTail[first.traceTail.length - 1]).toContain('VIOLATION');
  });
});
