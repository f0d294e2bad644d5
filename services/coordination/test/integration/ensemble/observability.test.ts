// What an operator sees: /status with role, term, leader, commit index and peers' lag, the Raft
// gauges on /metrics, and gRPC health that follows quorum membership while /healthz (liveness)
// stays up.
import * as grpc from '@grpc/grpc-js';
import { killAllServiceProcesses, waitFor } from '@ensemble/common';
import { loadHealthV1 } from '@ensemble/proto';
import { Ensemble } from '../../support/ensemble-harness';

let ensemble: Ensemble | null = null;

afterEach(async () => {
  await ensemble?.stop();
  ensemble = null;
  killAllServiceProcesses();
});

function healthOf(port: number): Promise<string> {
  const Health = loadHealthV1().grpc.health.v1.Health;
  const client = new Health(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.Check({ service: 'coord.v1.Coordination' }, (err, res) => {
      client.close();
      if (err) reject(err);
      else resolve(String(res?.status));
    });
  });
}

test('status, metrics and health of an ensemble member', async () => {
  ensemble = await Ensemble.start({ size: 3 });
  const e = ensemble;
  const leader = await e.waitForLeader();
  // A new leader commits its first entry only once a follower has it on disk: on a busy machine
  // /status can be read before that.
  await waitFor(async () => (await e.status(leader)).commitIndex > 0, { timeoutMs: 10_000, what: "the leader's first commit" });
  const s = await e.status(leader);
  expect(s).toMatchObject({ role: 'leader', serverId: leader, leaderId: leader });
  expect(s.term).toBeGreaterThan(0);
  expect(s.commitIndex).toBeGreaterThan(0);
  expect(s.peers).toHaveLength(2);
  for (const p of s.peers) expect(p).toMatchObject({ connected: true, lag: expect.any(Number), matchIndex: expect.any(Number) });
  const follower = [1, 2, 3].find((id) => id !== leader)!;
  expect(await e.status(follower)).toMatchObject({ role: 'follower', leaderId: leader, term: s.term });

  const metrics = await (await fetch(`http://127.0.0.1:${e.member(leader).adminPort}/metrics`)).text();
  for (const name of ['coord_raft_term', 'coord_raft_commit_index', 'coord_raft_applied_index', 'coord_raft_leader_id', 'coord_fsync_duration_seconds_bucket']) {
    expect(metrics).toContain(name);
  }
  expect(metrics).toMatch(/coord_raft_role\{role="leader",server="\d"\} 1/);
  expect(metrics).toMatch(/coord_raft_peer_lag_entries\{peer="\d",server="\d"\} \d+/);

  expect(await healthOf(e.member(follower).clientPort)).toBe('SERVING');
  await e.isolate([follower]);
  await waitFor(async () => (await healthOf(e.member(follower).clientPort)) === 'NOT_SERVING', { timeoutMs: 10_000, what: 'health to follow quorum loss' });
  const healthz = await fetch(`http://127.0.0.1:${e.member(follower).adminPort}/healthz`);
  expect(healthz.status).toBe(200);
  const readyz = await fetch(`http://127.0.0.1:${e.member(follower).adminPort}/readyz`);
  expect(readyz.status).toBe(503);
  await e.heal();
  await waitFor(async () => (await healthOf(e.member(follower).clientPort)) === 'SERVING', { timeoutMs: 10_000, what: 'health to recover' });
}, 60_000);
