// A minority that crashes catches up when it comes back: a follower killed with -9 and
// restarted replays its log and receives what it missed; a follower whose data directory is
// wiped gets a snapshot from the leader (the leader's log was compacted meanwhile). Clients
// keep writing throughout, and the history stays linearizable.
import { waitFor } from '@ensemble/common';
import { Ensemble } from '../../support/ensemble-harness';
import { HistoryWorkload, describeCheck, ensembleScope } from '../../support/history-workload';

const KEYS = ['/a', '/b', '/c'];
const scope = ensembleScope();

test('a killed follower and a follower with a wiped data directory both catch up', async () => {
  // Snapshots every 100 entries, so a wiped follower can only catch up by snapshot transfer.
  scope.ensemble = await Ensemble.start({ size: 3, args: ['--snapshot-every', '100', '--snapshot-retain', '2'] });
  const e = scope.ensemble;
  const all = e.connectString();
  const workload = new HistoryWorkload({ connectStrings: Array.from({ length: 5 }, () => all), keys: KEYS, seed: 202 });
  scope.workload = workload;
  await workload.start();

  const leader = await e.waitForLeader();
  const [first, second] = [1, 2, 3].filter((id) => id !== leader);
  await e.kill9(first);
  let mark = performance.now();
  await waitFor(() => workload.writesAckedSince(mark) >= 150, { timeoutMs: 20_000, what: 'writes while a follower is down' });
  await e.restart(first);
  await e.waitCaughtUp([1, 2, 3]);

  await e.kill9(second);
  mark = performance.now();
  await waitFor(() => workload.writesAckedSince(mark) >= 250, { timeoutMs: 20_000, what: 'writes while a follower is wiped' });
  const leaderStatus = await e.status(leader);
  expect(leaderStatus.snapshotIndex).toBeGreaterThan(0); // the log it would need is gone: only a snapshot helps
  await e.restart(second, { wipe: true });
  await e.waitCaughtUp([1, 2, 3]);
  const installed = e.member(second).proc!.lines.some((l) => l.msg === 'installing snapshot from the leader');
  expect(installed).toBe(true);

  await workload.stop();
  const converged = await e.waitConverged([1, 2, 3]);
  expect(new Set(converged.map((s) => s.lastZxid)).size).toBe(1);
  expect(converged.find((s) => s.serverId === second)!.snapshotIndex).toBeGreaterThan(0);
  await workload.finalReads(all);
  expect(describeCheck(workload.check())).toBe('linearizable');
}, 120_000);
