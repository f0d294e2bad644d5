// Validation of a framework's ACCEPT call (Mesos master/validation.cpp: offer validation, then
// task validation). Pure: the offers, the ids in use and the limits come in; a plan comes out.
// Nothing a framework sends can crash the master or allocate a resource twice: every task ends
// up either in `launches` (each inside exactly one offer, never overlapping another task) or in
// `rejected` with a state and a reason.
import type { rmV1 } from '@ensemble/proto';
import { EMPTY_RESOURCES, Resources, addResources, containsResources, formatResources, subtractResources } from '../allocator';
import { DEFAULT_EXECUTOR_LIMITS, ExecutorLimits, TaskCommand, validateCommand, validateEnv, validateGracePeriod, validateId } from '../agent/executor';
import { MasterLimits } from '../limits';
import { toCommand } from '../command-codec';
import { parseHealthCheck } from '../health-check';
import { expandPorts, parseWireResources } from '../resource-codec';

export { toCommand };

/** What the master knows about one offer id named in the call. */
export type OfferLookup =
  | { kind: 'outstanding'; frameworkId: string; agentId: string; resources: Resources }
  | { kind: 'rescinded'; why: string }
  | { kind: 'unknown' };

export interface AcceptContext {
  readonly frameworkId: string;
  readonly lookupOffer: (offerId: string) => OfferLookup;
  /** A live task with this id exists (or did, recently enough to be remembered). */
  readonly taskIdInUse: (taskId: string) => boolean;
  /** Whether the agent can take tasks now. */
  readonly agentActive: (agentId: string) => boolean;
  readonly limits: Pick<MasterLimits, 'offersPerCallMax' | 'tasksPerAcceptMax' | 'stringBytesMax' | 'labelsMax'>;
  readonly executorLimits?: ExecutorLimits;
}

export type RejectState = 'TASK_ERROR' | 'TASK_DROPPED';
export type RejectReason = 'REASON_TASK_INVALID' | 'REASON_INVALID_OFFERS' | 'REASON_AGENT_REMOVED';

export interface Rejection {
  readonly taskId: string;
  readonly state: RejectState;
  readonly reason: RejectReason;
  readonly message: string;
}

export interface Launch {
  /** The task as it goes to the agent: agent id filled in. */
  readonly task: rmV1.TaskInfo__Output;
  readonly offerId: string;
  readonly resources: Resources;
  readonly command: TaskCommand;
}

export interface AcceptPlan {
  /** The agent of the offers; undefined when the offers were invalid. */
  readonly agentId: string | undefined;
  readonly launches: Launch[];
  readonly rejected: Rejection[];
  /** Offers to spend, with what their launches use (possibly nothing): the rest returns to the pool. */
  readonly usedByOffer: ReadonlyMap<string, Resources>;
  /** Valid offers of this framework to give back untouched because the call was invalid. */
  readonly returnOfferIds: readonly string[];
  /** Why the offers were refused, when they were. */
  readonly offerError?: string;
}

export function planAccept(ctx: AcceptContext, offerIds: readonly string[], tasks: readonly rmV1.TaskInfo__Output[]): AcceptPlan {
  const offers = checkOffers(ctx, offerIds);
  if (!offers.ok) {
    const reason: RejectReason = offers.agentGone ? 'REASON_AGENT_REMOVED' : 'REASON_INVALID_OFFERS';
    const rejected = tasks.map((t) => reject(t, 'TASK_DROPPED', reason, offers.message));
    return { agentId: undefined, launches: [], rejected, usedByOffer: new Map(), returnOfferIds: offers.valid, offerError: offers.message };
  }
  const remaining = new Map(offers.list.map((o) => [o.offerId, o.resources]));
  const usedByOffer = new Map<string, Resources>(offers.list.map((o) => [o.offerId, EMPTY_RESOURCES]));
  const launches: Launch[] = [];
  const rejected: Rejection[] = [];
  if (tasks.length > ctx.limits.tasksPerAcceptMax) {
    const message = `one ACCEPT may launch at most ${ctx.limits.tasksPerAcceptMax} tasks, got ${tasks.length}`;
    return { agentId: offers.agentId, launches, rejected: tasks.map((t) => reject(t, 'TASK_ERROR', 'REASON_TASK_INVALID', message)), usedByOffer, returnOfferIds: [] };
  }
  const seen = new Set<string>();
  for (const task of tasks) {
    const checked = checkTask(ctx, task, offers.agentId, seen);
    seen.add(task.taskId);
    if (!checked.ok) {
      rejected.push(reject(task, 'TASK_ERROR', 'REASON_TASK_INVALID', checked.message));
      continue;
    }
    const offerId = [...remaining].find(([, left]) => containsResources(left, checked.resources))?.[0];
    if (offerId === undefined) {
      const left = [...remaining.values()].map((r) => formatResources(r) || 'nothing').join(' | ');
      rejected.push(reject(task, 'TASK_ERROR', 'REASON_TASK_INVALID', `task needs ${formatResources(checked.resources)} but the offers have ${left} left`));
      continue;
    }
    remaining.set(offerId, subtractResources(remaining.get(offerId) as Resources, checked.resources));
    usedByOffer.set(offerId, addResources(usedByOffer.get(offerId) as Resources, checked.resources));
    launches.push({ task: { ...task, agentId: offers.agentId }, offerId, resources: checked.resources, command: checked.command });
  }
  return { agentId: offers.agentId, launches, rejected, usedByOffer, returnOfferIds: [] };
}

function reject(task: rmV1.TaskInfo__Output, state: RejectState, reason: RejectReason, message: string): Rejection {
  return { taskId: typeof task.taskId === 'string' ? task.taskId : '', state, reason, message };
}

interface ValidOffer {
  offerId: string;
  resources: Resources;
}

type OfferCheck =
  | { ok: true; agentId: string; list: ValidOffer[] }
  | { ok: false; message: string; valid: string[]; agentGone: boolean };

/** Mesos offer validation: known, outstanding, ours, no duplicates, one agent, agent active. */
function checkOffers(ctx: AcceptContext, offerIds: readonly string[]): OfferCheck {
  const valid: string[] = [];
  const problems: string[] = [];
  const list: ValidOffer[] = [];
  const agents = new Set<string>();
  if (offerIds.length === 0) problems.push('ACCEPT names no offer');
  if (offerIds.length > ctx.limits.offersPerCallMax) problems.push(`ACCEPT names more than ${ctx.limits.offersPerCallMax} offers`);
  if (new Set(offerIds).size !== offerIds.length) problems.push('ACCEPT names an offer twice');
  for (const offerId of offerIds.slice(0, ctx.limits.offersPerCallMax)) {
    const found = ctx.lookupOffer(offerId);
    if (found.kind === 'unknown') problems.push(`offer ${offerId} is unknown (or was already used)`);
    else if (found.kind === 'rescinded') problems.push(`offer ${offerId} is no longer valid: ${found.why}`);
    else if (found.frameworkId !== ctx.frameworkId) problems.push(`offer ${offerId} was made to another framework`);
    else {
      if (!valid.includes(offerId)) valid.push(offerId);
      agents.add(found.agentId);
      list.push({ offerId, resources: found.resources });
    }
  }
  if (agents.size > 1) problems.push(`the offers are on ${agents.size} different agents (${[...agents].join(', ')}); one ACCEPT uses one agent`);
  const agentId = [...agents][0];
  const agentGone = problems.length === 0 && agentId !== undefined && !ctx.agentActive(agentId);
  if (agentGone) problems.push(`agent ${agentId} of the offers is no longer active`);
  if (problems.length > 0 || agentId === undefined) return { ok: false, message: problems.join('; '), valid, agentGone };
  return { ok: true, agentId, list };
}

type TaskCheck = { ok: true; resources: Resources; command: TaskCommand } | { ok: false; message: string };

/** Mesos task validation: id, uniqueness, agent, command, resources, limits. */
function checkTask(ctx: AcceptContext, task: rmV1.TaskInfo__Output, agentId: string, seen: ReadonlySet<string>): TaskCheck {
  const limits = ctx.executorLimits ?? DEFAULT_EXECUTOR_LIMITS;
  const id = validateId('task', task.taskId, limits.idBytesMax);
  if (!id.ok) return { ok: false, message: id.message };
  if (seen.has(task.taskId)) return { ok: false, message: `task id ${task.taskId} appears twice in this ACCEPT` };
  if (ctx.taskIdInUse(task.taskId)) return { ok: false, message: `task id ${task.taskId} is already in use` };
  if (task.agentId && task.agentId !== agentId) return { ok: false, message: `task names agent ${task.agentId} but the offers are on agent ${agentId}` };
  const textProblem = checkText(ctx, task);
  if (textProblem) return { ok: false, message: textProblem };
  const command = toCommand(task.command);
  if (typeof command === 'string') return { ok: false, message: command };
  for (const check of [validateCommand(command, limits), validateEnv(task.command?.env ?? {}, limits), validateGracePeriod(Number(task.killGracePeriodMs) || undefined, limits)]) {
    if (!check.ok) return { ok: false, message: check.message };
  }
  const resources = parseWireResources(task.resources);
  if (!resources.ok) return { ok: false, message: `resources: ${resources.message}` };
  const r = resources.resources;
  if (r.cpusMilli < limits.cpusMilliMin) return { ok: false, message: `a task needs at least ${limits.cpusMilliMin / 1000} cpus` };
  if (r.memBytes < limits.memBytesMin) return { ok: false, message: `a task needs at least ${limits.memBytesMin} bytes of memory` };
  const ports = expandPorts(r.ports, limits.portsMax);
  if (ports === undefined) return { ok: false, message: `a task may use at most ${limits.portsMax} ports` };
  const health = parseHealthCheck(task.healthCheck, ports.length);
  if (!health.ok) return { ok: false, message: health.message };
  return { ok: true, resources: r, command };
}

function checkText(ctx: AcceptContext, task: rmV1.TaskInfo__Output): string | undefined {
  const { stringBytesMax, labelsMax } = ctx.limits;
  if (Buffer.byteLength(task.name ?? '') > stringBytesMax) return `task name is longer than ${stringBytesMax} bytes`;
  const labels = Object.entries(task.labels ?? {});
  if (labels.length > labelsMax) return `more than ${labelsMax} labels`;
  if (labels.some(([k, v]) => Buffer.byteLength(k) + Buffer.byteLength(v) > stringBytesMax)) return `a label is longer than ${stringBytesMax} bytes`;
  return undefined;
}
