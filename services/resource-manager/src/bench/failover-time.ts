// Master failover time with default settings: a real coordination server, two masters and an
// agent (separate processes, every option at its default but ports and directories), a framework
// with a running task. Each round kill -9s the leading master and measures until a standby leads
// and the framework's call succeeds: its driver has re-subscribed by itself and a RECONCILE is
// answered by the new leader. The killed master is replaced by a fresh standby before the next
// round. Prints only; asserts nothing.
//
//   node services/resource-manager/dist/bench/failover-time.js [--rounds N]
import * as path from 'node:path';
import { freeTmpDir, startServiceProcess, waitFor, type ServiceProcess } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { SchedulerDriver } from '../scheduler/scheduler-driver';

const ROUNDS_MAX = 20;

function parseRounds(argv: string[]): number {
  if (argv.length === 0) return 3;
  const rounds = Number(argv[1]);
  if (argv[0] !== '--rounds' || !Number.isInteger(rounds) || rounds < 1 || rounds > ROUNDS_MAX) {
    process.stderr.write(`usage: failover-time [--rounds 1..${ROUNDS_MAX}]\n`);
    process.exit(2);
  }
  return rounds;
}

const dist = (p: string) => path.resolve(__dirname, '..', p);

function startMaster(coord: string): Promise<ServiceProcess> {
  return startServiceProcess({ command: dist('master/main.js'), args: ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--coord', coord] });
}

async function leaderOf(masters: ServiceProcess[], driver: SchedulerDriver): Promise<ServiceProcess> {
  const leader = masters.find((m) => m.ready.address === driver.masterAddress);
  if (!leader) throw new Error(`the framework's master ${driver.masterAddress} is not one of ours`);
  return leader;
}

/** When (ms after `sinceMs`) a master logged `msg`, if one did. */
function loggedAfter(masters: ServiceProcess[], msg: string, sinceMs: number): number | undefined {
  for (const m of masters) {
    const line = m.lines.find((l) => l.msg === msg && Date.parse(String(l.ts)) >= sinceMs);
    if (line) return Date.parse(String(line.ts)) - sinceMs;
  }
  return undefined;
}

interface RoundTimes {
  totalMs: number;
  electedMs: number | undefined;
  readyMs: number | undefined;
  resubscribedMs: number | undefined;
  agentMs: number | undefined;
}

async function round(masters: ServiceProcess[], agent: ServiceProcess, driver: SchedulerDriver, updates: rmV1.TaskStatus__Output[]): Promise<RoundTimes> {
  const leader = await leaderOf(masters, driver);
  const old = driver.masterAddress;
  const mark = updates.length;
  let resubscribedMs: number | undefined;
  driver.once('subscribed', () => (resubscribedMs = Date.now() - killedAt));
  const killedAt = Date.now();
  await leader.kill9();
  masters.splice(masters.indexOf(leader), 1);
  await waitFor(
    () => {
      if (driver.connected && driver.masterAddress !== old) driver.reconcile([{ taskId: 'failover-probe' }]);
      return updates.slice(mark).some((u) => u.taskId === 'failover-probe' && u.reason === 'REASON_RECONCILIATION');
    },
    { timeoutMs: 60_000, intervalMs: 10, what: 'a new leader answering the framework' },
  );
  return { totalMs: Date.now() - killedAt, electedMs: loggedAfter(masters, 'became leader', killedAt), readyMs: loggedAfter(masters, 'leader ready', killedAt), resubscribedMs, agentMs: loggedAfter([agent], 'registered with master', killedAt) };
}

async function run(rounds: number): Promise<void> {
  const dir = freeTmpDir('failover-time');
  const started: ServiceProcess[] = [];
  const masters: ServiceProcess[] = [];
  let driver: SchedulerDriver | undefined;
  try {
    const coordProcess = await startServiceProcess({
      command: path.resolve(__dirname, '../../../coordination/dist/main.js'),
      args: ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--data-dir', path.join(dir.path, 'coord')],
    });
    started.push(coordProcess);
    const coord = `127.0.0.1:${coordProcess.ready.clientPort}`;
    for (let i = 0; i < 2; i++) masters.push(await startMaster(coord));
    const agent = await startServiceProcess({
        command: dist('agent/main.js'),
        args: ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--coord', coord, '--work-dir', path.join(dir.path, 'agent'), '--isolation', 'none', '--resources', 'cpus:1;mem:512MiB;ports:[31000-31009]'],
      });
    started.push(agent);
    driver = await SchedulerDriver.subscribe({ coord, frameworkInfo: { name: 'failover-time', failoverTimeoutMs: 300_000 } });
    const updates: rmV1.TaskStatus__Output[] = [];
    const d = driver;
    d.on('update', (s: rmV1.TaskStatus__Output) => {
      updates.push(s);
      d.acknowledge(s);
    });
    d.once('offers', (offers: rmV1.Offer__Output[]) => {
      d.accept([offers[0].offerId], [{ taskId: 'failover-probe', agentId: offers[0].agentId, resources: { cpusMilli: 100, memBytes: 32 * 1024 * 1024 }, command: { shell: 'exec sleep 3600' } }]);
    });
    await waitFor(() => updates.some((u) => u.state === 'TASK_RUNNING'), { timeoutMs: 30_000, what: 'the probe task running' });
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      masters.push(await startMaster(coord));
      const t = await round(masters, agent, d, updates);
      times.push(t.totalMs);
      process.stdout.write(`round ${i + 1}: kill -9 of the leader -> new leader answers the framework in ${t.totalMs} ms (a standby elected after ${t.electedMs ?? '?'} ms, ready after ${t.readyMs ?? '?'} ms; the framework re-subscribed after ${t.resubscribedMs ?? '?'} ms, the agent after ${t.agentMs ?? '?'} ms)\n`);
    }
    const sorted = [...times].sort((a, b) => a - b);
    process.stdout.write(
      `failover-time: ${rounds} round(s), default settings (master --session-timeout 5s): min ${sorted[0]} ms, median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms\n`,
    );
    // Kill the probe before leaving: an agent that stops leaves its tasks running, by design.
    const mark = updates.length;
    d.kill('failover-probe');
    await waitFor(() => updates.slice(mark).some((u) => u.taskId === 'failover-probe' && u.state === 'TASK_KILLED'), { timeoutMs: 30_000, what: 'the probe task killed' });
    d.teardown();
  } finally {
    driver?.close();
    await Promise.all([...masters, ...started.reverse()].map((p) => p.stop('SIGTERM', 5000)));
    dir.cleanup();
  }
}

run(parseRounds(process.argv.slice(2))).catch((err: unknown) => {
  process.stderr.write(`failover-time: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
