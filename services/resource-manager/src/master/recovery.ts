// What a new leader does first (Mesos master failover): read the agent registry and the task
// store, expect every admitted agent to re-register within the agent timeout (those that do not
// become unreachable, at the rate the limit allows), and hold the stored tasks' frameworks as
// placeholders until they re-subscribe, so that re-registering agents' tasks are accounted to
// them. Until an agent re-registers its tasks are unknown, not lost: reconciliation waits for it.
import { hasCode } from '@ensemble/coord-client';
import { ensurePlaceholderFramework } from './framework-calls';
import type { Leader } from './leader';

export async function recoverFromRegistry(leader: Leader): Promise<void> {
  await leader.registry.init();
  const entries = await leader.registry.list().catch((err: unknown) => {
    if (hasCode(err, 'NO_NODE')) return [];
    throw err;
  });
  const now = leader.clock();
  for (const entry of entries) {
    leader.agents.add({
      agentId: entry.agentId,
      info: entry.info,
      state: entry.state,
      sink: undefined,
      allocated: false,
      registeredAtMs: entry.registeredAtMs,
      lastHeartbeatMs: now,
      reregisterTimer: undefined,
      recovering: entry.state === 'admitted' || entry.state === 'draining',
    });
  }
  for (const record of await leader.store.listActive()) {
    ensurePlaceholderFramework(leader, record.frameworkId, record.role);
    leader.tasks.restore(record);
  }
  for (const agent of leader.agents.all()) {
    if (!agent.recovering) continue;
    agent.reregisterTimer = setTimeout(() => {
      agent.reregisterTimer = undefined;
      if (!agent.sink && !leader.isStopped) leader.requestUnreachable(agent.agentId, 'did not re-register after master failover');
    }, leader.opts.agentTimeoutMs);
  }
  leader.logger.info('recovered registry', { agents: entries.length, activeTasks: leader.tasks.size });
}
