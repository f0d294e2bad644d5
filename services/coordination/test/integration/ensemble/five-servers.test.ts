// Five servers tolerate two failures: with the leader and a follower killed (-9), the other
// three elect a leader and keep going; both come back and catch up; the history is linearizable.
import { waitFor } from '@ensemble/common';
import { Ensemble } from '../../support/ensemble-harness';
import { HistoryWorkload, describeCheck, ensembleScope } from '../../support/history-workload';

const KEYS = ['/f0', '/f1', '/f2'];
const scope = ensembleScope();

test('two of five servers fail and the ensemble carries on', async () => {
  scope.ensemble = await Ensemble.start({ size: 5 });
  const e = scope.ensemble;
  const all = e.connectString();
  const workload = new HistoryWorkload({ connectStrings: Array.from({ length: 5 }, () => all), keys: KEYS, seed: 505 });
  scope.workload = workload;
  await workload.start();
  await waitFor(() => workload.writesAckedSince(0) >= 50, { timeoutMs: 15_000, what: 'writes before the failures' });

  const leader = await e.waitForLeader();
  const follower = [1, 2, 3, 4, 5].find((id) => id !== leader)!;
  await Promise.all([e.kill9(leader), e.kill9(follower)]);
  const killedAt = performance.now();
  const newLeader = await e.waitForLeader(e.running(), 10_000);
  expect([leader, follower]).not.toContain(newLeader);
  await waitFor(() => workload.writesAckedSince(killedAt) >= 100, { timeoutMs: 15_000, what: 'writes with two servers down' });

  await e.restart(leader);
  await e.restart(follower);
  await e.waitCaughtUp([1, 2, 3, 4, 5]);

  await workload.stop();
  await e.waitConverged([1, 2, 3, 4, 5]);
  await workload.finalReads(all);
  expect(describeCheck(workload.check())).toBe('linearizable');
}, 90_000);
