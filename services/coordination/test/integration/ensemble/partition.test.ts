// A network partition between peers (the servers' fault-injecting transport): the majority
// side elects a leader and keeps accepting writes; the minority side acknowledges none. After
// the partition heals, the minority catches up, and the history is linearizable.
import { CoordClient, hasCode } from '@ensemble/coord-client';
import { waitFor } from '@ensemble/common';
import { Ensemble } from '../../support/ensemble-harness';
import { HistoryWorkload, describeCheck, ensembleScope } from '../../support/history-workload';

const KEYS = ['/q0', '/q1', '/q2'];
const scope = ensembleScope();

test('the majority side makes progress, the minority side refuses writes, and both agree after healing', async () => {
  scope.ensemble = await Ensemble.start({ size: 3, args: ['--leader-wait', '1s'] });
  const e = scope.ensemble;
  const leader = await e.waitForLeader();
  const majority = [1, 2, 3].filter((id) => id !== leader);
  const workload = new HistoryWorkload({
    connectStrings: [e.connectString(majority), e.connectString(majority), e.connectString(majority), e.connectString([leader]), e.connectString([leader])],
    keys: KEYS, seed: 404, sessionTimeoutMs: 8000,
  });
  scope.workload = workload;
  await workload.start();
  await waitFor(() => workload.writesAckedSince(0) >= 50, { timeoutMs: 15_000, what: 'writes before the partition' });

  // A session on the old leader, made while it still could be (creating one is a write).
  const minority = await CoordClient.connect(e.connectString([leader]), { sessionTimeoutMs: 5000 });
  await e.isolate([leader]); // the old leader alone on one side
  const cutAt = performance.now();
  const newLeader = await e.waitForLeader(majority, 10_000);
  expect(majority).toContain(newLeader);
  await waitFor(async () => (await e.status(leader)).role !== 'leader', { timeoutMs: 10_000, what: 'the isolated leader to step down' });

  // The minority refuses: a write through it is never acknowledged, nor a linearizable read
  // served (there is no leader to give it a read index). It fails with CONNECTION_LOSS, or, once
  // the cut-off server has dropped its clients, the pinned session cannot go anywhere and expires.
  const outcome = (p: Promise<unknown>): Promise<string> =>
    p.then(() => 'served', (err: unknown) => (hasCode(err, 'CONNECTION_LOSS', 'SESSION_EXPIRED') ? 'refused' : String(err)));
  expect(await outcome(minority.create('/minority-write', 'x'))).toBe('refused');
  expect(await outcome(minority.getData(KEYS[0], { linearizable: true }))).toBe('refused');
  await waitFor(async () => !(await e.status(leader)).servesClients, { timeoutMs: 10_000, what: 'the minority to stop serving clients' });
  await waitFor(() => workload.writesAckedSince(cutAt) >= 100, { timeoutMs: 15_000, what: 'writes on the majority side' });

  await e.heal();
  await e.waitCaughtUp([1, 2, 3]);
  const checker = await CoordClient.connect(e.connectString(majority), { sessionTimeoutMs: 5000 });
  expect(await checker.exists('/minority-write', { linearizable: true })).toBeNull();
  await checker.close();
  await minority.close();

  await workload.stop();
  await e.waitConverged([1, 2, 3]);
  await workload.finalReads(e.connectString());
  expect(describeCheck(workload.check())).toBe('linearizable');
}, 90_000);
