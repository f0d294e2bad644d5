// Three real servers under a concurrent write load: kill -9 of the leader elects a new one,
// clients continue, and the recorded history (with final linearizable reads of every key)
// is linearizable — so no acknowledged write was lost and none was applied twice. The killed
// server restarts and catches up.
import { waitFor } from '@ensemble/common';
import { Ensemble } from '../../support/ensemble-harness';
import { HistoryWorkload, describeCheck, ensembleScope } from '../../support/history-workload';

const KEYS = ['/k0', '/k1', '/k2', '/k3'];
const scope = ensembleScope();

test('kill -9 of the leader under load: a new leader, clients continue, the history is linearizable', async () => {
  scope.ensemble = await Ensemble.start({ size: 3 });
  const e = scope.ensemble;
  const all = e.connectString();
  const workload = new HistoryWorkload({ connectStrings: Array.from({ length: 6 }, () => all), keys: KEYS, seed: 101 });
  scope.workload = workload;
  await workload.start();
  await waitFor(() => workload.writesAckedSince(0) >= 50, { timeoutMs: 15_000, what: 'writes before the kill' });

  const oldLeader = await e.waitForLeader();
  const killedAt = performance.now();
  await e.kill9(oldLeader);
  const newLeader = await e.waitForLeader(e.running(), 10_000);
  expect(newLeader).not.toBe(oldLeader);
  await waitFor(() => workload.writesAckedSince(killedAt) >= 50, { timeoutMs: 15_000, what: 'writes after the kill' });

  await e.restart(oldLeader);
  await e.waitCaughtUp([1, 2, 3]);

  await workload.stop();
  const converged = await e.waitConverged([1, 2, 3]);
  expect(new Set(converged.map((s) => s.lastZxid)).size).toBe(1);
  await workload.finalReads(all);
  const result = workload.check();
  expect(describeCheck(result)).toBe('linearizable');
  expect(workload.stats.ok).toBeGreaterThan(200);
}, 90_000);
