// What the leading master does with a framework's calls (Mesos v1 scheduler API): SUBSCRIBE,
// ACCEPT, DECLINE, REVIVE, SUPPRESS, KILL, ACKNOWLEDGE, RECONCILE, TEARDOWN, and what happens
// when its stream ends (failover timeout, then teardown).
import type { rmV1 } from '@ensemble/proto';
import { DEFAULT_REFUSE_SECONDS } from '../allocator';
import { fail, Result, rmError } from '../rm-errors';
import { isTerminalState } from '../task-state';
import { planAccept } from './accept-validation';
import type { FrameworkEntry } from './framework-book';
import type { Leader } from './leader';
import type { StreamSink } from './stream-sink';

const ROLE = /^[A-Za-z0-9_.*-]{1,128}$/;

/**
 * A framework known only from its tasks (after a failover): held inactive in the allocator until
 * it re-subscribes. Its failover timeout runs from now — the one its agent reported, or the
 * master's cap while nobody has (Mesos recovers frameworks from re-registering agents the same way).
 */
export function ensurePlaceholderFramework(leader: Leader, frameworkId: string, role: string, info?: rmV1.FrameworkInfo__Output): string {
  if (!frameworkId) return role;
  const existing = leader.frameworks.get(frameworkId);
  if (existing) {
    if (existing.placeholder && !existing.infoKnown && info && !existing.sink && !existing.tearingDown) {
      existing.info = { ...info, frameworkId, role: existing.info.role };
      existing.infoKnown = true;
      armFailoverTimer(leader, existing, 'it has not re-subscribed since the master failed over');
    }
    return existing.info.role;
  }
  leader.allocator.addFramework({ frameworkId, role, ...(info?.weight ? { weight: info.weight } : {}), active: false });
  const entry: FrameworkEntry = {
    frameworkId,
    info: info ? { ...info, frameworkId, role } : { frameworkId, name: '', user: '', role, weight: 1, failoverTimeoutMs: leader.opts.failoverTimeoutMaxMs, hostname: '', labels: {} },
    sink: undefined,
    registeredAtMs: leader.clock(),
    placeholder: true,
    infoKnown: info !== undefined,
    tearingDown: false,
    failoverTimer: undefined,
    outbox: leader.newOutbox(),
  };
  leader.frameworks.add(entry);
  armFailoverTimer(leader, entry, 'it has not re-subscribed since the master failed over');
  return role;
}

/** Tears the framework down unless it (re-)subscribes within its failover timeout (capped by the master). */
function armFailoverTimer(leader: Leader, framework: FrameworkEntry, why: string): number {
  clearTimeout(framework.failoverTimer);
  const timeoutMs = Math.min(Number(framework.info.failoverTimeoutMs), leader.opts.failoverTimeoutMaxMs);
  framework.failoverTimer = setTimeout(() => {
    framework.failoverTimer = undefined;
    if (!framework.sink && !leader.isStopped) teardown(leader, framework, `its failover timeout (${timeoutMs}ms) expired: ${why}`);
  }, timeoutMs);
  return timeoutMs;
}

/** SUBSCRIBE (or re-subscribe with a framework id): answers SUBSCRIBED on `sink`. */
export function subscribe(leader: Leader, sink: StreamSink<rmV1.Event>, wire: rmV1.FrameworkInfo__Output | null): Result<{ framework: FrameworkEntry }> {
  const info = normaliseInfo(wire);
  if (!info.ok) return info;
  const frameworkId = info.info.frameworkId || leader.newFrameworkId();
  const existing = leader.frameworks.get(frameworkId);
  if (existing?.tearingDown) return fail('UNKNOWN_FRAMEWORK', `framework ${frameworkId} was torn down`);
  let framework = existing;
  if (framework) {
    framework.sink?.close(rmError('NOT_SUBSCRIBED', 'the framework subscribed again on another stream'));
    clearTimeout(framework.failoverTimer);
    framework.failoverTimer = undefined;
    framework.info = { ...info.info, frameworkId, role: framework.info.role };
    framework.placeholder = false;
    framework.infoKnown = true;
    leader.allocator.activateFramework(frameworkId);
  } else {
    if (leader.frameworks.size >= leader.limits.frameworksMax) return fail('LIMIT_EXCEEDED', `at most ${leader.limits.frameworksMax} frameworks`);
    const added = leader.allocator.addFramework({ frameworkId, role: info.info.role, weight: info.info.weight });
    if (!added.ok) return fail(added.code === 'LIMIT_EXCEEDED' ? 'LIMIT_EXCEEDED' : 'INVALID_ARGUMENT', added.message);
    framework = { frameworkId, info: { ...info.info, frameworkId }, sink, registeredAtMs: leader.clock(), placeholder: false, infoKnown: true, tearingDown: false, failoverTimer: undefined, outbox: leader.newOutbox() };
    leader.frameworks.add(framework);
  }
  framework.sink = sink;
  sink.send({ subscribed: { frameworkId, heartbeatIntervalMs: leader.opts.frameworkHeartbeatIntervalMs, masterAddress: leader.opts.address } });
  // What it missed while away: agents' updates it never acknowledged, and the master's own.
  const missed = framework.outbox.all();
  for (const status of missed) if (sink.send({ update: { status } })) framework.outbox.delivered(status);
  leader.logger.info(existing ? 'framework re-subscribed' : 'framework subscribed', { frameworkId, name: info.info.name, role: framework.info.role, ...(missed.length > 0 ? { resent: missed.length } : {}) });
  leader.allocateSoon();
  return { ok: true, framework };
}

function normaliseInfo(wire: rmV1.FrameworkInfo__Output | null): Result<{ info: rmV1.FrameworkInfo__Output }> {
  if (!wire) return fail('BAD_CALL', 'SUBSCRIBE needs framework_info');
  const role = wire.role || '*';
  if (!ROLE.test(role)) return fail('INVALID_ARGUMENT', `role "${role.slice(0, 64)}" is not 1-128 of [A-Za-z0-9_.*-]`);
  const weight = wire.weight || 1;
  if (!(weight > 0) || !Number.isFinite(weight)) return fail('INVALID_ARGUMENT', `weight must be positive, got ${wire.weight}`);
  if (wire.name.length > 256) return fail('INVALID_ARGUMENT', 'framework name longer than 256 characters');
  if (!(Number(wire.failoverTimeoutMs) >= 0)) return fail('INVALID_ARGUMENT', 'failover_timeout_ms must be >= 0');
  return { ok: true, info: { ...wire, role, weight } };
}

/** Every call after SUBSCRIBE. Outcomes the framework must hear about come back as ERROR events. */
export async function handleCall(leader: Leader, framework: FrameworkEntry, call: rmV1.Call__Output): Promise<Result> {
  const now = leader.clock();
  const id = framework.frameworkId;
  switch (call.call) {
    case 'accept':
      return accept(leader, framework, call.accept as rmV1._rm_v1_Call_Accept__Output);
    case 'decline': {
      const refuse = call.decline?.filters ? call.decline.filters.refuseSeconds : DEFAULT_REFUSE_SECONDS;
      for (const offerId of (call.decline?.offerIds ?? []).slice(0, leader.limits.offersPerCallMax)) {
        if (leader.allocator.decline(id, { offerId }, refuse, now).ok) leader.offers.remember(offerId, 'it was declined');
      }
      return { ok: true };
    }
    case 'revive':
      leader.allocator.revive(id);
      leader.allocateSoon();
      return { ok: true };
    case 'suppress':
      leader.allocator.suppress(id);
      return { ok: true };
    case 'kill':
      return killForFramework(leader, framework, call.kill as rmV1._rm_v1_Call_Kill__Output);
    case 'acknowledge':
      return acknowledge(leader, framework, call.acknowledge as rmV1._rm_v1_Call_Acknowledge__Output);
    case 'reconcile':
      await reconcile(leader, framework, call.reconcile?.tasks ?? []);
      return { ok: true };
    case 'teardown':
      teardown(leader, framework, 'the framework tore itself down');
      framework.sink?.close();
      return { ok: true };
    case 'subscribe':
      return fail('BAD_CALL', 'already subscribed on this stream');
    default:
      return fail('BAD_CALL', 'call has no known type');
  }
}

/** ACCEPT: validate, spend the offers, answer rejected tasks, stage and send the launches. */
async function accept(leader: Leader, framework: FrameworkEntry, call: rmV1._rm_v1_Call_Accept__Output): Promise<Result> {
  const frameworkId = framework.frameworkId;
  const now = leader.clock();
  const tasks = call.operations.flatMap((op) => (op.operation === 'launch' ? (op.launch?.taskInfos ?? []) : []));
  const unsupported = call.operations.filter((op) => op.operation !== 'launch').length;
  if (leader.tasks.size + tasks.length > leader.limits.activeTasksMax) {
    return fail('LIMIT_EXCEEDED', `the cluster runs at most ${leader.limits.activeTasksMax} tasks; the offers stay outstanding`);
  }
  const plan = planAccept(
    {
      frameworkId,
      lookupOffer: (offerId) => leader.offers.lookup(offerId),
      taskIdInUse: (taskId) => leader.tasks.idInUse(taskId),
      agentActive: (agentId) => leader.agents.isActive(agentId),
      limits: leader.limits,
    },
    call.offerIds,
    tasks,
  );
  for (const offerId of plan.returnOfferIds) {
    leader.allocator.decline(frameworkId, { offerId }, 0, now);
    leader.offers.remember(offerId, 'it was named in an invalid ACCEPT');
  }
  const refuseSeconds = call.filters ? call.filters.refuseSeconds : DEFAULT_REFUSE_SECONDS;
  const dropped = new Set<string>();
  for (const [offerId, used] of plan.usedByOffer) {
    const accepted = leader.allocator.accept(offerId, frameworkId, used, { refuseSeconds, nowMs: now });
    leader.offers.remember(offerId, 'it was already accepted');
    if (!accepted.ok) {
      // Validation saw the offer outstanding a moment ago; the allocator is the last word.
      leader.logger.warn('accept refused by the allocator', { offerId, code: accepted.code, message: accepted.message });
      dropped.add(offerId);
    }
  }
  for (const r of plan.rejected) {
    const status = leader.masterStatus({ taskId: r.taskId, frameworkId, agentId: plan.agentId ?? '' }, r.state, r.reason, r.message);
    leader.frameworks.send(frameworkId, { update: { status } });
  }
  if (unsupported > 0) leader.frameworks.send(frameworkId, { error: { code: 'BAD_CALL', message: `${unsupported} operation(s) of an unsupported type were ignored` } });
  const launches = plan.launches.filter((l) => !dropped.has(l.offerId));
  for (const l of plan.launches.filter((l) => dropped.has(l.offerId))) {
    const status = leader.masterStatus({ taskId: l.task.taskId, frameworkId, agentId: plan.agentId ?? '' }, 'TASK_DROPPED', 'REASON_INVALID_OFFERS', `offer ${l.offerId} is no longer valid`);
    leader.frameworks.send(frameworkId, { update: { status } });
  }
  if (launches.length === 0 || plan.agentId === undefined) return { ok: true };
  const agentId = plan.agentId;
  const stored = launches.map((l) =>
    leader.tasks.add({
      taskId: l.task.taskId,
      frameworkId,
      agentId,
      role: framework.info.role,
      info: l.task,
      state: 'TASK_STAGING',
      lastStatus: leader.masterStatus({ taskId: l.task.taskId, frameworkId, agentId }, 'TASK_STAGING', 'REASON_UNSPECIFIED', 'sent to the agent'),
      createdAtMs: now,
      updatedAtMs: now,
    }),
  );
  leader.agents.send(agentId, { launch: { frameworkId, tasks: launches.map((l) => l.task), frameworkInfo: framework.info } });
  await Promise.all(stored).catch((err: unknown) => leader.logger.error('task store write failed', { err }));
  return { ok: true };
}

/** Mesos: the acknowledgement goes to the task's agent, which then sends the task's next update. */
function acknowledge(leader: Leader, framework: FrameworkEntry, ack: rmV1._rm_v1_Call_Acknowledge__Output): Result {
  if (!ack.uuid || !ack.taskId) return fail('BAD_CALL', 'ACKNOWLEDGE needs task_id and uuid');
  const record = leader.tasks.get(ack.taskId);
  if (record && record.frameworkId !== framework.frameworkId) return fail('BAD_CALL', `task ${ack.taskId} is not this framework's`);
  framework.outbox.acknowledge(ack.uuid);
  const agentId = record?.agentId ?? ack.agentId;
  // An agent that is away resends the update when it is back; the framework acknowledges again.
  if (agentId) leader.agents.send(agentId, { statusAck: { taskId: ack.taskId, uuid: ack.uuid } });
  return { ok: true };
}

async function killForFramework(leader: Leader, framework: FrameworkEntry, call: rmV1._rm_v1_Call_Kill__Output): Promise<Result> {
  const record = leader.tasks.get(call.taskId);
  if (record && record.frameworkId === framework.frameworkId) {
    const result = killTask(leader, call.taskId, Number(call.killGracePeriodMs));
    if (result.ok) return result;
  }
  // Mesos: a kill of an unknown task is answered with its last known state (or LOST).
  await reconcile(leader, framework, [{ taskId: call.taskId, agentId: call.agentId }]);
  return { ok: true };
}

/** Sends KILL for a live task to its agent. */
export function killTask(leader: Leader, taskId: string, killGracePeriodMs: number): Result {
  const record = leader.tasks.get(taskId);
  if (!record) return fail('UNKNOWN_TASK', `no live task ${taskId}`);
  if (!leader.agents.send(record.agentId, { kill: { frameworkId: record.frameworkId, taskId, killGracePeriodMs } })) {
    return fail('AGENT_DISCONNECTED', `agent ${record.agentId} of task ${taskId} is not connected`);
  }
  leader.logger.info('killing task', { taskId, agentId: record.agentId });
  return { ok: true };
}

/**
 * RECONCILE (Mesos task reconciliation): the latest known state of the named tasks, or of all its
 * live tasks when none are named. Answers carry no uuid (nothing to acknowledge). A task the
 * master does not know is LOST — unless an agent it could be on has not re-registered since a
 * failover: then the master cannot know yet, and says nothing (the agent's re-registration will).
 */
async function reconcile(leader: Leader, framework: FrameworkEntry, named: readonly { taskId: string; agentId: string }[]): Promise<void> {
  const frameworkId = framework.frameworkId;
  const answer = (status: rmV1.TaskStatus__Output): boolean => leader.frameworks.send(frameworkId, { update: { status: { ...status, uuid: '' } } });
  if (named.length === 0) {
    for (const record of leader.tasks.ofFramework(frameworkId)) answer({ ...record.lastStatus, reason: 'REASON_RECONCILIATION' });
    return;
  }
  const recovering = leader.agents.all().filter((a) => a.recovering && !a.sink);
  for (const { taskId, agentId } of named.slice(0, leader.limits.listTasksMax)) {
    const record = leader.tasks.get(taskId) ?? (await leader.store.get(taskId));
    if (record && record.frameworkId === frameworkId) {
      answer({ ...record.lastStatus, reason: isTerminalState(record.state) ? record.lastStatus.reason : 'REASON_RECONCILIATION' });
    } else if (!recovering.some((a) => !agentId || a.agentId === agentId)) {
      answer(leader.masterStatus({ taskId, frameworkId, agentId }, 'TASK_LOST', 'REASON_RECONCILIATION', 'the master does not know this task'));
    }
  }
}

/** The framework's stream ended without TEARDOWN: it has its failover timeout to come back. */
export function frameworkDisconnected(leader: Leader, framework: FrameworkEntry, sink: StreamSink<rmV1.Event>): void {
  if (framework.sink !== sink || leader.isStopped) return;
  framework.sink = undefined;
  if (framework.tearingDown) return;
  const deactivated = leader.allocator.deactivateFramework(framework.frameworkId);
  if (deactivated.ok) for (const offer of deactivated.rescinded) leader.offers.remember(offer.offerId, 'its framework disconnected');
  const timeoutMs = armFailoverTimer(leader, framework, 'it disconnected');
  leader.logger.info('framework disconnected', { frameworkId: framework.frameworkId, failoverTimeoutMs: timeoutMs });
}

/** Mesos removeFramework: kill its tasks; it goes away with the last of them. */
export function teardown(leader: Leader, framework: FrameworkEntry, why: string): void {
  if (framework.tearingDown) return;
  framework.tearingDown = true;
  clearTimeout(framework.failoverTimer);
  const deactivated = leader.allocator.deactivateFramework(framework.frameworkId);
  if (deactivated.ok) for (const offer of deactivated.rescinded) leader.offers.remember(offer.offerId, 'its framework was torn down');
  const tasks = leader.tasks.ofFramework(framework.frameworkId);
  leader.logger.info('tearing down framework', { frameworkId: framework.frameworkId, why, tasks: tasks.length });
  for (const record of tasks) {
    if (!leader.agents.send(record.agentId, { kill: { frameworkId: record.frameworkId, taskId: record.taskId, killGracePeriodMs: 0 } })) {
      void leader.recordStatus(leader.masterStatus(record, 'TASK_KILLED', 'REASON_FRAMEWORK_REMOVED', `framework torn down (${why}) while its agent was away`));
    }
  }
  leader.finishTeardownIfDone(framework);
}
