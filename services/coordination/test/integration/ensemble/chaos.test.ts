// A seeded sequence of faults on a 3-server ensemble under a concurrent load: kill -9 of the
// leader or a follower, SIGSTOP of the leader, symmetric and one-way partitions, wiped data
// directories — one at a time, each held until the majority has made progress without the
// victim. Frequent snapshots make catch-up by snapshot transfer part of the run. The whole
// history, with final linearizable reads of every key, must be linearizable and every server
// must end at the same zxid. Replay a failure with ENSEMBLE_CHAOS_SEED=<seed>.
import { waitFor } from '@ensemble/common';
import { Ensemble } from '../../support/ensemble-harness';
import { HistoryWorkload, describeCheck, ensembleScope, seededRandom } from '../../support/history-workload';

const SEED = Number(process.env.ENSEMBLE_CHAOS_SEED ?? 606);
const ROUNDS = 8;
const KEYS = ['/x0', '/x1', '/x2', '/x3', '/x4'];
const FAULTS = ['kill-leader', 'kill-follower', 'pause-leader', 'isolate-leader', 'isolate-follower', 'one-way', 'wipe-follower'] as const;
type Fault = (typeof FAULTS)[number];

const scope = ensembleScope();

/** Applies one fault, waits until the others made progress without the victim, then repairs it. */
async function inject(e: Ensemble, w: HistoryWorkload, fault: Fault, pick: <T>(xs: T[]) => T): Promise<void> {
  const leader = await e.waitForLeader();
  const followers = [1, 2, 3].filter((id) => id !== leader);
  const victim = fault.includes('leader') ? leader : pick(followers);
  const others = [1, 2, 3].filter((id) => id !== victim);
  const progressed = async (): Promise<void> => {
    const mark = performance.now();
    await waitFor(() => w.writesAckedSince(mark) >= 30, { timeoutMs: 20_000, what: `progress during ${fault} of ${victim}` });
  };
  switch (fault) {
    case 'kill-leader':
    case 'kill-follower':
    case 'wipe-follower':
      await e.kill9(victim);
      await progressed();
      await e.restart(victim, { wipe: fault === 'wipe-follower' });
      break;
    case 'pause-leader':
      e.pause(victim);
      await e.waitForLeader(others, 15_000);
      await progressed();
      e.resume(victim);
      break;
    case 'isolate-leader':
    case 'isolate-follower':
      await e.isolate([victim]);
      await e.waitForLeader(others, 15_000);
      await progressed();
      await e.heal();
      break;
    case 'one-way': // the victim hears the others but they never hear it
      await e.setFaults(victim, { dropTo: others });
      for (const id of others) await e.setFaults(id, { dropFrom: [victim] });
      await progressed();
      await e.heal();
      break;
  }
  await e.waitCaughtUp([1, 2, 3], 30_000);
}

test(`a seeded sequence of faults keeps the history linearizable (seed ${SEED})`, async () => {
  scope.ensemble = await Ensemble.start({ size: 3, args: ['--snapshot-every', '300', '--snapshot-retain', '2'] });
  const e = scope.ensemble;
  const all = e.connectString();
  const workload = new HistoryWorkload({ connectStrings: Array.from({ length: 6 }, () => all), keys: KEYS, seed: SEED, sessionTimeoutMs: 6000 });
  scope.workload = workload;
  await workload.start();
  const random = seededRandom(SEED);
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const done: Fault[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const fault = pick([...FAULTS]);
    await inject(e, workload, fault, pick);
    done.push(fault);
  }

  await workload.stop();
  const converged = await e.waitConverged([1, 2, 3]);
  expect(new Set(converged.map((s) => s.lastZxid)).size).toBe(1);
  await workload.finalReads(all);
  expect(describeCheck(workload.check())).toBe('linearizable');
  expect(workload.stats.ok).toBeGreaterThan(ROUNDS * 30);
  expect(done).toHaveLength(ROUNDS);
}, 150_000);
