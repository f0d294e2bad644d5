// What the leading master does with agents (Mesos master: registerSlave, reregisterSlave,
// statusUpdate, markUnreachable, drain, markGone). Registry writes come first and are fenced;
// only after one succeeds does the master act on it.
import type { rmV1 } from '@ensemble/proto';
import { ResourcesInput } from '../allocator';
import { fail, Result, rmError } from '../rm-errors';
import { fromWire, parseWireResources } from '../resource-codec';
import { isTerminalState, type TaskStateName } from '../task-state';
import type { AgentEntry } from './agent-book';
import type { RegistryAgentState } from './agent-registry';
import { ensurePlaceholderFramework } from './framework-calls';
import type { Leader } from './leader';
import type { StreamSink } from './stream-sink';

/** REGISTER / re-register: admits the agent (fenced), reconciles its tasks, answers REGISTERED. */
export async function registerAgent(leader: Leader, sink: StreamSink<rmV1.MasterMessage>, reg: rmV1.Register__Output): Promise<AgentEntry | undefined> {
  const info = reg.info;
  const total = parseWireResources(info?.resources);
  if (!info || !total.ok) {
    sink.close(rmError('INVALID_ARGUMENT', `REGISTER: ${total.ok ? 'no agent info' : `resources: ${total.message}`}`));
    return undefined;
  }
  const known = info.agentId ? leader.agents.get(info.agentId) : undefined;
  if (known?.state === 'gone') {
    sink.send({ shutdown: { reason: `agent ${known.agentId} was marked gone` } });
    sink.close();
    return undefined;
  }
  const agentId = info.agentId || leader.newAgentId();
  const now = leader.clock();
  const state: RegistryAgentState = known?.state === 'draining' ? 'draining' : 'admitted';
  const registeredAtMs = known?.registeredAtMs ?? now;
  const written = await leader.registry.put({ agentId, info: { ...info, agentId }, state, registeredAtMs, updatedAtMs: now, leaderEpoch: leader.epoch });
  if (!written.ok) {
    if (written.code === 'FENCED') leader.fenced(written.message);
    sink.close(rmError(written.code === 'FENCED' ? 'FENCED' : 'INTERNAL', written.message));
    return undefined;
  }
  if (sink.closed || leader.isStopped) return undefined;
  const previous = leader.agents.get(agentId);
  previous?.sink?.close(rmError('AGENT_DISCONNECTED', 'the agent registered again on another stream'));
  clearTimeout(previous?.reregisterTimer);
  const entry: AgentEntry = { agentId, info: { ...info, agentId }, state, sink, allocated: previous?.allocated ?? false, registeredAtMs, lastHeartbeatMs: now, reregisterTimer: undefined, recovering: false };
  leader.agents.add(entry);
  if (!admitToAllocator(leader, entry)) return undefined;
  const toKill = await reconcileAgentTasks(leader, entry, reg);
  // After REGISTERED the agent resends the head of every task's update stream (Mesos: flush).
  sink.send({ registered: { agentId, heartbeatIntervalMs: leader.opts.agentHeartbeatIntervalMs, masterAddress: leader.opts.address } });
  for (const task of toKill) sink.send({ kill: { frameworkId: task.frameworkId, taskId: task.taskId, killGracePeriodMs: 0 } });
  leader.logger.info(known ? 'agent re-registered' : 'agent registered', { agentId, address: info.address, hostname: info.hostname, tasks: reg.tasks.length, isolation: info.isolation });
  leader.allocateSoon();
  return entry;
}

function admitToAllocator(leader: Leader, entry: AgentEntry): boolean {
  const allocatorState = entry.state === 'draining' ? 'draining' : 'active';
  if (entry.allocated) {
    if (allocatorState === 'active') leader.allocator.activateAgent(entry.agentId);
    return true;
  }
  const added = leader.allocator.addAgent({ agentId: entry.agentId, total: fromWire(entry.info.resources), attributes: entry.info.attributes, state: allocatorState });
  if (!added.ok) {
    entry.sink?.close(rmError(added.code === 'LIMIT_EXCEEDED' ? 'LIMIT_EXCEEDED' : 'INVALID_ARGUMENT', added.message));
    return false;
  }
  entry.allocated = true;
  return true;
}

/**
 * Mesos reregisterSlave: the frameworks of the reported tasks are held (as placeholders, with the
 * failover timeouts the agent reported) so that their updates have somewhere to go; live tasks
 * the master does not know are adopted, ended ones wait for their updates (which follow at
 * once); tasks the master expects there that the agent does not report are LOST. Then the
 * allocator learns what is in use. Returns live tasks the master already counts as ended (killed
 * with their framework, say, while the agent was away): they must not run on unmanaged.
 */
async function reconcileAgentTasks(leader: Leader, agent: AgentEntry, reg: rmV1.Register__Output): Promise<Array<{ taskId: string; frameworkId: string }>> {
  const infos = new Map(reg.frameworks.filter((f) => f.frameworkId).map((f) => [f.frameworkId, f]));
  const reportedIds = new Set<string>();
  const toKill: Array<{ taskId: string; frameworkId: string }> = [];
  for (const running of reg.tasks) {
    const task = running.task;
    if (!task?.taskId) continue;
    reportedIds.add(task.taskId);
    const info = infos.get(running.frameworkId);
    const role = ensurePlaceholderFramework(leader, running.frameworkId, info?.role || '*', info);
    if (isTerminalState(running.state)) continue;
    const known = leader.tasks.get(task.taskId);
    if (!known && leader.tasks.idInUse(task.taskId)) {
      toKill.push({ taskId: task.taskId, frameworkId: running.frameworkId });
    } else if (!known) {
      const status = leader.masterStatus({ taskId: task.taskId, frameworkId: running.frameworkId, agentId: agent.agentId }, running.state, 'REASON_RECONCILIATION', 'reported by its agent on re-registration');
      const now = leader.clock();
      await leader.tasks.add({ taskId: task.taskId, frameworkId: running.frameworkId, agentId: agent.agentId, role, info: { ...task, agentId: agent.agentId }, state: running.state as TaskStateName, lastStatus: status, createdAtMs: now, updatedAtMs: now }).catch((err: unknown) => leader.logger.error('task store write failed', { taskId: task.taskId, err }));
    } else if (known?.state === 'TASK_UNREACHABLE') {
      await leader.recordStatus(leader.masterStatus(known, running.state, 'REASON_RECONCILIATION', 'its agent is back'));
    }
  }
  for (const record of leader.tasks.onAgent(agent.agentId)) {
    // STAGING tasks may be in flight on the new stream's predecessor: Mesos reports those LOST too.
    if (!reportedIds.has(record.taskId)) await leader.recordStatus(leader.masterStatus(record, 'TASK_LOST', 'REASON_AGENT_RESTARTED', 'the agent re-registered without this task'));
  }
  const used = new Map<string, ResourcesInput>();
  for (const record of leader.tasks.onAgent(agent.agentId)) {
    const sum = used.get(record.frameworkId);
    const r = fromWire(record.info.resources);
    used.set(record.frameworkId, sum ? addInputs(sum, r) : r);
  }
  const updated = leader.allocator.updateAgentUsed(agent.agentId, used);
  if (updated.ok) leader.rescinded(updated.rescinded, 'the agent re-registered');
  else leader.logger.error('agent usage rejected by the allocator', { agentId: agent.agentId, code: updated.code, message: updated.message });
  if (toKill.length > 0) leader.logger.warn('killing tasks that ended for the master while their agent was away', { agentId: agent.agentId, tasks: toKill.map((t) => t.taskId) });
  return toKill;
}

function addInputs(a: ResourcesInput, b: ResourcesInput): ResourcesInput {
  return {
    cpusMilli: (a.cpusMilli ?? 0) + (b.cpusMilli ?? 0),
    memBytes: (a.memBytes ?? 0) + (b.memBytes ?? 0),
    diskBytes: (a.diskBytes ?? 0) + (b.diskBytes ?? 0),
    gpus: (a.gpus ?? 0) + (b.gpus ?? 0),
    ports: [...(a.ports ?? []), ...(b.ports ?? [])],
  };
}

function fromAgent(agent: AgentEntry, wire: rmV1.TaskStatus__Output): rmV1.TaskStatus__Output {
  return { ...wire, agentId: agent.agentId, source: wire.source === 'SOURCE_UNSPECIFIED' ? 'SOURCE_AGENT' : wire.source };
}

/**
 * An agent's status update: the head of the task's update stream (`status`) and the task's latest
 * status there (`latest`). Both are applied under the state machine (the latest is what the
 * master's view and its resources follow); the head goes to the framework, whose acknowledgement
 * the master relays back — the agent resends it until then.
 */
export async function statusUpdate(leader: Leader, agent: AgentEntry, update: rmV1.StatusUpdate__Output): Promise<void> {
  if (!update.status?.taskId || !update.status.uuid) return;
  const status = fromAgent(agent, update.status);
  const latest = update.latest && update.latest.uuid !== status.uuid ? fromAgent(agent, update.latest) : undefined;
  const known = leader.tasks.get(status.taskId);
  if (known && known.agentId !== agent.agentId) {
    leader.logger.warn('status update from the wrong agent', { taskId: status.taskId, agentId: agent.agentId, expected: known.agentId });
    return;
  }
  const wasKnown = leader.tasks.idInUse(status.taskId);
  await leader.recordStatus(status, { forward: false });
  if (latest) await leader.recordStatus(latest, { forward: false });
  leader.deliverUpdate(status);
  if (!wasKnown && !isTerminalState((latest ?? status).state)) {
    // A live task nobody launched: Mesos kills it.
    agent.sink?.send({ kill: { frameworkId: status.frameworkId, taskId: status.taskId, killGracePeriodMs: 0 } });
  }
}

/** The agent's stream ended: no new offers; it has agentTimeoutMs to come back. */
export function agentDisconnected(leader: Leader, agent: AgentEntry, sink: StreamSink<rmV1.MasterMessage>): void {
  if (agent.sink !== sink || leader.isStopped) return;
  agent.sink = undefined;
  if (agent.allocated) {
    leader.allocator.deactivateAgent(agent.agentId, agent.state === 'draining' ? 'draining' : 'unreachable');
    leader.rescinded(leader.allocator.rescindOffersOnAgent(agent.agentId), 'its agent disconnected');
  }
  leader.logger.warn('agent disconnected', { agentId: agent.agentId });
  if (agent.state === 'gone' || agent.state === 'unreachable') return;
  clearTimeout(agent.reregisterTimer);
  agent.reregisterTimer = setTimeout(() => {
    agent.reregisterTimer = undefined;
    if (!agent.sink && !leader.isStopped) leader.requestUnreachable(agent.agentId, `did not reconnect within ${leader.opts.agentTimeoutMs}ms`);
  }, leader.opts.agentTimeoutMs);
}

/** Mesos markUnreachable: registry first (fenced), then its tasks become TASK_UNREACHABLE. */
export async function markUnreachable(leader: Leader, agent: AgentEntry, why: string): Promise<void> {
  if (agent.state !== 'admitted' && agent.state !== 'draining') return;
  clearTimeout(agent.reregisterTimer);
  agent.reregisterTimer = undefined;
  const written = await writeState(leader, agent, 'unreachable');
  if (!written.ok) return;
  const current = leader.agents.get(agent.agentId);
  if (current !== agent || agent.sink) {
    // It re-registered while the write was in flight: the registry must say what it is now.
    if (current) await writeState(leader, current, current.state === 'unreachable' ? 'admitted' : current.state);
    return;
  }
  agent.recovering = false;
  removeFromAllocator(leader, agent, 'its agent is unreachable');
  leader.logger.warn('agent unreachable', { agentId: agent.agentId, why });
  leader.frameworks.broadcast({ failure: { agentId: agent.agentId, message: `agent unreachable: ${why}` } });
  for (const record of leader.tasks.onAgent(agent.agentId)) {
    await leader.recordStatus(leader.masterStatus(record, 'TASK_UNREACHABLE', 'REASON_AGENT_UNREACHABLE', `agent ${agent.agentId} is unreachable: ${why}`));
  }
}

/** Operator DRAIN_AGENT: no more offers there, and every task on it is killed. */
export async function drainAgent(leader: Leader, agentId: string, killGracePeriodMs: number): Promise<Result> {
  const agent = leader.agents.get(agentId);
  if (!agent) return fail('UNKNOWN_AGENT', `no agent ${agentId}`);
  if (agent.state === 'gone') return fail('UNKNOWN_AGENT', `agent ${agentId} is gone`);
  const written = await writeState(leader, agent, 'draining');
  if (!written.ok) return written;
  if (agent.allocated) {
    leader.allocator.deactivateAgent(agentId, 'draining');
    leader.rescinded(leader.allocator.rescindOffersOnAgent(agentId), 'its agent is draining');
  }
  for (const record of leader.tasks.onAgent(agentId)) {
    agent.sink?.send({ kill: { frameworkId: record.frameworkId, taskId: record.taskId, killGracePeriodMs } });
  }
  leader.logger.info('agent draining', { agentId, tasks: leader.tasks.onAgent(agentId).length });
  return { ok: true };
}

/** Operator MARK_AGENT_GONE: it may never come back; its tasks are TASK_GONE. */
export async function markAgentGone(leader: Leader, agentId: string): Promise<Result> {
  const agent = leader.agents.get(agentId);
  if (!agent) return fail('UNKNOWN_AGENT', `no agent ${agentId}`);
  const written = await writeState(leader, agent, 'gone');
  if (!written.ok) return written;
  removeFromAllocator(leader, agent, 'its agent is gone');
  clearTimeout(agent.reregisterTimer);
  agent.sink?.send({ shutdown: { reason: 'marked gone by an operator' } });
  agent.sink?.close();
  agent.sink = undefined;
  leader.frameworks.broadcast({ failure: { agentId, message: 'agent marked gone' } });
  for (const record of leader.tasks.onAgent(agentId)) {
    await leader.recordStatus(leader.masterStatus(record, 'TASK_GONE', 'REASON_AGENT_REMOVED', `agent ${agentId} was marked gone`));
  }
  leader.logger.info('agent marked gone', { agentId });
  return { ok: true };
}

function removeFromAllocator(leader: Leader, agent: AgentEntry, why: string): void {
  if (!agent.allocated) return;
  const removed = leader.allocator.removeAgent(agent.agentId);
  agent.allocated = false;
  if (removed.ok) leader.rescinded(removed.rescinded, why);
}

async function writeState(leader: Leader, agent: AgentEntry, state: RegistryAgentState): Promise<Result> {
  const now = leader.clock();
  const written = await leader.registry.put({ agentId: agent.agentId, info: agent.info, state, registeredAtMs: agent.registeredAtMs, updatedAtMs: now, leaderEpoch: leader.epoch });
  if (!written.ok) {
    if (written.code === 'FENCED') leader.fenced(written.message);
    return fail(written.code === 'FENCED' ? 'FENCED' : 'INTERNAL', written.message);
  }
  agent.state = state;
  return { ok: true };
}
