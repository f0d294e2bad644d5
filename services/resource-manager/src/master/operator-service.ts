// The Operator gRPC service (Mesos operator API, a subset): cluster state, kill, drain,
// mark-gone, and task output relayed from the task's agent. GetLeader is answered by any master;
// every other call only by the leader (a standby redirects).
import * as grpc from '@grpc/grpc-js';
import type { rmV1 } from '@ensemble/proto';
import { EMPTY_RESOURCES } from '../allocator';
import { CLIENT_CHANNEL_OPTIONS, loadRmV1 } from '../proto';
import { notLeader, Result, rmError } from '../rm-errors';
import { toWire } from '../resource-codec';
import { isTerminalState } from '../task-state';
import { drainAgent, markAgentGone } from './agent-calls';
import { killTask } from './framework-calls';
import type { Leader } from './leader';
import type { MasterRole } from './role';
import type { TaskRecord } from './task-store';

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/** Wraps a handler that needs the leader: redirects on a standby, maps errors to statuses. */
function leading<Req, Res>(role: MasterRole, handler: (leader: Leader, req: Req) => Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    const leader = role.leader();
    if (!leader) return callback(notLeader(role.leaderAddress()));
    handler(leader, call.request).then(
      (res) => callback(null, res),
      (err: unknown) => callback(isServiceError(err) ? err : rmError('INTERNAL', `internal error: ${(err as Error).message}`)),
    );
  };
}

function isServiceError(err: unknown): err is grpc.ServiceError {
  return typeof err === 'object' && err !== null && 'metadata' in err && typeof (err as { code?: unknown }).code === 'number';
}

function unwrap(result: Result): void {
  if (!result.ok) throw rmError(result.code, result.message);
}

export function operatorService(role: MasterRole): grpc.UntypedServiceImplementation {
  const agentClients = new AgentClients();
  const handlers: rmV1.OperatorHandlers = {
    GetLeader: (_call, callback) => {
      const leader = role.leader();
      const leaderAddress = leader ? role.address : (role.leaderAddress() ?? '');
      const masters = role.masters().map((m) => ({ address: m.address, node: m.path, leading: m.address === leaderAddress }));
      callback(null, { leaderAddress, masters, answeredBy: role.address });
    },
    ListAgents: leading(role, async (leader) => ({ agents: leader.agents.all().map((a) => agentSummary(leader, a.agentId)) })),
    ListFrameworks: leading(role, async (leader) => ({ frameworks: frameworkSummaries(leader) })),
    ListTasks: leading(role, async (leader, req: rmV1.ListTasksRequest__Output) => ({ tasks: await listTasks(leader, req) })),
    GetTask: leading(role, async (leader, req: rmV1.GetTaskRequest__Output) => {
      const record = leader.tasks.get(req.taskId) ?? (await leader.store.get(req.taskId));
      if (!record) throw rmError('UNKNOWN_TASK', `no task ${req.taskId}`);
      return { task: { ...taskSummary(record), history: await leader.store.history(req.taskId) } };
    }),
    KillTask: leading(role, async (leader, req: rmV1.KillTaskRequest__Output) => {
      if (!leader.tasks.get(req.taskId)) {
        const stored = await leader.store.get(req.taskId);
        if (stored && isTerminalState(stored.state)) throw rmError('ALREADY_TERMINAL', `task ${req.taskId} already ended: ${stored.state}`);
      }
      unwrap(killTask(leader, req.taskId, Number(req.killGracePeriodMs)));
      return {};
    }),
    DrainAgent: leading(role, async (leader, req: rmV1.DrainAgentRequest__Output) => {
      unwrap(await drainAgent(leader, req.agentId, Number(req.killGracePeriodMs)));
      return {};
    }),
    MarkAgentGone: leading(role, async (leader, req: rmV1.MarkAgentGoneRequest__Output) => {
      unwrap(await markAgentGone(leader, req.agentId));
      return {};
    }),
    ReadTaskOutput: (call) => void relayOutput(role, agentClients, call),
  };
  return handlers;
}

function agentSummary(leader: Leader, agentId: string): rmV1.AgentSummary {
  const agent = leader.agents.get(agentId);
  if (!agent) throw new Error(`assertion: agent ${agentId} vanished`);
  const view = leader.allocator.agent(agentId);
  let used = EMPTY_RESOURCES;
  if (view) for (const r of view.allocated.values()) used = { ...used, cpusMilli: used.cpusMilli + r.cpusMilli, memBytes: used.memBytes + r.memBytes, diskBytes: used.diskBytes + r.diskBytes, gpus: used.gpus + r.gpus, ports: [...used.ports, ...r.ports] };
  return {
    info: agent.info,
    state: `AGENT_${agent.state.toUpperCase()}` as rmV1.AgentState,
    connected: agent.sink !== undefined,
    used: toWire(used),
    offered: toWire(view?.offered ?? EMPTY_RESOURCES),
    activeTasks: leader.tasks.onAgent(agentId).length,
    registeredAtMs: agent.registeredAtMs,
  };
}

function frameworkSummaries(leader: Leader): rmV1.FrameworkSummary[] {
  const stats = new Map(leader.allocator.stats().frameworks.map((f) => [f.frameworkId, f]));
  return leader.frameworks.all().map((f) => {
    const s = stats.get(f.frameworkId);
    return {
      info: f.info,
      connected: f.sink !== undefined,
      suppressed: s?.suppressed ?? false,
      used: toWire(s?.allocated ?? EMPTY_RESOURCES),
      activeTasks: leader.tasks.ofFramework(f.frameworkId).length,
      offersOutstanding: s?.offersOutstanding ?? 0,
      dominantShare: s?.dominantShare ?? 0,
      registeredAtMs: f.registeredAtMs,
    };
  });
}

async function listTasks(leader: Leader, req: rmV1.ListTasksRequest__Output): Promise<rmV1.TaskSummary[]> {
  const limit = Math.min(req.limit > 0 ? req.limit : leader.limits.listTasksMax, leader.limits.listTasksMax);
  const wanted = (r: TaskRecord) => !req.frameworkId || r.frameworkId === req.frameworkId;
  const records = leader.tasks.all().filter(wanted).slice(0, limit);
  if (req.includeCompleted && records.length < limit) {
    const stored = await leader.store.list({ includeCompleted: true, frameworkId: req.frameworkId, limit: limit + leader.tasks.size });
    for (const r of stored) if (isTerminalState(r.state) && records.length < limit) records.push(r);
  }
  return records.map(taskSummary);
}

function taskSummary(record: TaskRecord): rmV1.TaskSummary {
  return {
    info: record.info,
    frameworkId: record.frameworkId,
    agentId: record.agentId,
    state: record.state,
    lastStatus: record.lastStatus,
    createdAtMs: record.createdAtMs,
    updatedAtMs: record.updatedAtMs,
    history: [],
  };
}

/** One gRPC client per agent address, reused across output requests. */
class AgentClients {
  private readonly clients = new Map<string, rmV1.AgentClient>();

  get(address: string): rmV1.AgentClient {
    let client = this.clients.get(address);
    if (!client) {
      const { Agent } = loadRmV1();
      client = new Agent(address, grpc.credentials.createInsecure(), CLIENT_CHANNEL_OPTIONS);
      this.clients.set(address, client);
    }
    return client;
  }
}

/** Mesos /files/read through the master: the task's agent serves the bytes, we relay them. */
async function relayOutput(role: MasterRole, clients: AgentClients, call: grpc.ServerWritableStream<rmV1.ReadTaskOutputRequest__Output, rmV1.OutputChunk>): Promise<void> {
  const leader = role.leader();
  if (!leader) return void call.emit('error', notLeader(role.leaderAddress()));
  const req = call.request;
  const record = leader.tasks.get(req.taskId) ?? (await leader.store.get(req.taskId));
  if (!record) return void call.emit('error', rmError('UNKNOWN_TASK', `no task ${req.taskId}`));
  const address = leader.agents.get(record.agentId)?.info.address;
  if (!address) return void call.emit('error', rmError('UNKNOWN_AGENT', `task ${req.taskId} never reached an agent (${record.state})`));
  const upstream = clients.get(address).ReadOutput({ taskId: req.taskId, stream: req.stream, offset: req.offset, length: req.length, follow: req.follow });
  call.on('cancelled', () => upstream.cancel());
  upstream.on('data', (chunk: rmV1.OutputChunk__Output) => {
    if (!call.write(chunk)) {
      upstream.pause();
      call.once('drain', () => upstream.resume());
    }
  });
  upstream.on('end', () => call.end());
  upstream.on('error', (err: grpc.ServiceError) => {
    if (err.code === grpc.status.CANCELLED) return;
    call.emit('error', err.code === grpc.status.UNAVAILABLE ? rmError('AGENT_DISCONNECTED', `agent ${record.agentId} at ${address} is unreachable: ${err.details}`) : err);
  });
}
