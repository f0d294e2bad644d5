// A standby that has not yet seen a failover redirects to the old leader, which may be paused (it
// accepts connections and never answers). A framework whose view of the coordination service
// already names the new leader must not follow that redirect and hang until its timeout.
import * as grpc from '@grpc/grpc-js';
import { freeTmpDir, type ServiceProcess, type TmpDir } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { encodeMasterData, mastersDir } from '../../../src/leader-detector';
import { loadRmV1 } from '../../../src/proto';
import { notLeader, rmErrorCode } from '../../../src/rm-errors';
import { SchedulerDriver } from '../../../src/scheduler/scheduler-driver';
import { coordClient, startCoord } from '../../support/rm-cluster';

type SubscribeCall = grpc.ServerDuplexStream<rmV1.Call__Output, rmV1.Event>;

/** A Scheduler service that hands each Subscribe stream to `onSubscribe`. */
async function fakeMaster(onSubscribe: (call: SubscribeCall) => void): Promise<{ address: string; server: grpc.Server }> {
  const server = new grpc.Server();
  const handlers = new Proxy({}, {
    get: (_t, name) => (name === 'Subscribe' ? onSubscribe : () => undefined),
  });
  server.addService(loadRmV1().Scheduler.service, handlers as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { address: `127.0.0.1:${port}`, server };
}

let dir: TmpDir;
let coord: ServiceProcess;
const servers: grpc.Server[] = [];

beforeAll(async () => {
  dir = freeTmpDir('rm-stale-redirect-');
  coord = await startCoord(dir.path);
});

afterAll(async () => {
  for (const s of servers) s.forceShutdown();
  await coord?.stop();
  dir?.cleanup();
});

test('a framework does not follow a redirect to a leader its own view says is gone', async () => {
  const coordAddress = `127.0.0.1:${Number(coord.ready.clientPort)}`;
  let pausedCalls = 0;
  const paused = await fakeMaster(() => void pausedCalls++); // never answers, like a SIGSTOPped master
  let refusals = 0;
  const leader = await fakeMaster((call) => {
    call.on('data', () => {
      // The first answers come before this master has seen its own election: they name the old leader.
      if (refusals++ < 1) return void call.emit('error', notLeader(paused.address));
      call.write({ subscribed: { frameworkId: 'f-1', heartbeatIntervalMs: 1000 } });
    });
    call.on('error', () => undefined);
  });
  servers.push(paused.server, leader.server);

  // The coordination service names the new leader only.
  const c = await coordClient(coordAddress);
  await c.create('/rm').catch(() => undefined);
  await c.create(mastersDir('/rm')).catch(() => undefined);
  await c.create(`${mastersDir('/rm')}/n_0000000007`, encodeMasterData({ address: leader.address, hostname: 'h', pid: 1, startedAtMs: 0 }));
  await c.close();

  const info = { name: 'stale-redirect', role: '*' };
  // Refused with a redirect to the old leader: the answer is the refusal, not a wait on the old leader.
  const refused = await SchedulerDriver.subscribe({ coord: coordAddress, frameworkInfo: info, timeoutMs: 20_000 }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(rmErrorCode(refused)).toBe('NOT_LEADER');
  expect(pausedCalls).toBe(0);

  // Asked again once the leader is ready, it subscribes there.
  const driver = await SchedulerDriver.subscribe({ coord: coordAddress, frameworkInfo: info, timeoutMs: 20_000 });
  try {
    expect(driver.masterAddress).toBe(leader.address);
    expect(driver.frameworkId).toBe('f-1');
    expect(pausedCalls).toBe(0);
  } finally {
    driver.close();
  }
});
