import type { rmV1 } from '@ensemble/proto';
import { MIB, Resources, makeResources } from '../../../src/allocator';
import { AcceptContext, OfferLookup, planAccept } from '../../../src/master/accept-validation';
import { DEFAULT_MASTER_LIMITS } from '../../../src/limits';

const offerOn = (agentId: string, r: Partial<Resources>, frameworkId = 'fw-1'): OfferLookup => ({ kind: 'outstanding', frameworkId, agentId, resources: makeResources(r) });

function context(offers: Record<string, OfferLookup>, inUse: string[] = [], inactive: string[] = []): AcceptContext {
  return {
    frameworkId: 'fw-1',
    lookupOffer: (id) => offers[id] ?? { kind: 'unknown' },
    taskIdInUse: (id) => inUse.includes(id),
    agentActive: (id) => !inactive.includes(id),
    limits: DEFAULT_MASTER_LIMITS,
  };
}

function task(taskId: string, cpusMilli = 100, memBytes = 32 * MIB, extra: Partial<rmV1.TaskInfo__Output> = {}): rmV1.TaskInfo__Output {
  return {
    taskId,
    name: taskId,
    agentId: '',
    resources: { cpusMilli, memBytes, diskBytes: 0, gpus: 0, ports: [] },
    command: { command: 'shell', shell: 'true', env: {} },
    killGracePeriodMs: 0,
    labels: {},
    healthCheck: null,
    ...extra,
  };
}

const OFFERS = { o1: offerOn('a1', { cpusMilli: 1000, memBytes: 256 * MIB, ports: [{ begin: 31000, end: 31009 }] }) };

describe('ACCEPT validation', () => {
  test('tasks that fit are launched on the offer, with the agent id filled in', () => {
    const plan = planAccept(context(OFFERS), ['o1'], [task('t1'), task('t2')]);
    expect(plan.rejected).toEqual([]);
    expect(plan.launches.map((l) => [l.task.taskId, l.task.agentId, l.offerId])).toEqual([
      ['t1', 'a1', 'o1'],
      ['t2', 'a1', 'o1'],
    ]);
    expect(plan.usedByOffer.get('o1')).toMatchObject({ cpusMilli: 200, memBytes: 64 * MIB });
  });

  test('unknown, rescinded and foreign offers drop every task with REASON_INVALID_OFFERS', () => {
    const offers = { ...OFFERS, gone: { kind: 'rescinded', why: 'the offer timed out' } as OfferLookup, theirs: offerOn('a1', { cpusMilli: 1000 }, 'fw-2') };
    for (const ids of [['nope'], ['gone'], ['theirs'], []]) {
      const plan = planAccept(context(offers), ids, [task('t1')]);
      expect(plan.launches).toEqual([]);
      expect(plan.rejected).toEqual([expect.objectContaining({ taskId: 't1', state: 'TASK_DROPPED', reason: 'REASON_INVALID_OFFERS' })]);
    }
    expect(planAccept(context(offers), ['gone'], [task('t1')]).offerError).toMatch(/timed out/);
  });

  test('a valid offer named beside an invalid one is given back untouched', () => {
    const plan = planAccept(context(OFFERS), ['o1', 'nope'], [task('t1')]);
    expect(plan.returnOfferIds).toEqual(['o1']);
    expect(plan.usedByOffer.size).toBe(0);
  });

  test('offers on two agents, or on an inactive agent, are refused', () => {
    const offers = { ...OFFERS, o2: offerOn('a2', { cpusMilli: 1000, memBytes: 256 * MIB }) };
    expect(planAccept(context(offers), ['o1', 'o2'], [task('t1')]).offerError).toMatch(/2 different agents/);
    const inactive = planAccept(context(OFFERS, [], ['a1']), ['o1'], [task('t1')]);
    expect(inactive.rejected[0]).toMatchObject({ state: 'TASK_DROPPED', reason: 'REASON_AGENT_REMOVED' });
  });

  test('a task beyond what is left of the offers is TASK_ERROR; the ones before it launch', () => {
    const plan = planAccept(context(OFFERS), ['o1'], [task('t1', 600), task('t2', 600), task('t3', 400)]);
    expect(plan.launches.map((l) => l.task.taskId)).toEqual(['t1', 't3']);
    expect(plan.rejected).toEqual([expect.objectContaining({ taskId: 't2', state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID', message: expect.stringMatching(/needs cpus:0.6/) })]);
    expect(plan.usedByOffer.get('o1')?.cpusMilli).toBe(1000);
  });

  test('ports must come from the offer', () => {
    const inside = task('t1', 100, 32 * MIB, { resources: { cpusMilli: 100, memBytes: 32 * MIB, diskBytes: 0, gpus: 0, ports: [{ begin: 31000, end: 31001 }] } });
    const outside = task('t2', 100, 32 * MIB, { resources: { cpusMilli: 100, memBytes: 32 * MIB, diskBytes: 0, gpus: 0, ports: [{ begin: 8080, end: 8080 }] } });
    const plan = planAccept(context(OFFERS), ['o1'], [inside, outside]);
    expect(plan.launches.map((l) => l.task.taskId)).toEqual(['t1']);
    expect(plan.rejected[0]).toMatchObject({ taskId: 't2', state: 'TASK_ERROR' });
  });

  test('duplicate task ids, in the call or in use, are TASK_ERROR', () => {
    const plan = planAccept(context(OFFERS, ['running']), ['o1'], [task('t1'), task('t1'), task('running')]);
    expect(plan.launches.map((l) => l.task.taskId)).toEqual(['t1']);
    expect(plan.rejected.map((r) => [r.taskId, r.state, r.message])).toEqual([
      ['t1', 'TASK_ERROR', expect.stringMatching(/twice/)],
      ['running', 'TASK_ERROR', expect.stringMatching(/already in use/)],
    ]);
  });

  test('malformed tasks are TASK_ERROR with the reason, never a launch', () => {
    const bad: Array<[rmV1.TaskInfo__Output, RegExp]> = [
      [task(''), /non-empty/],
      [task('a/b'), /'\/'/],
      [task('no-cmd', 100, 32 * MIB, { command: null }), /no command/],
      [task('empty-cmd', 100, 32 * MIB, { command: { command: 'shell', shell: '  ', env: {} } }), /empty/],
      [task('empty-argv', 100, 32 * MIB, { command: { command: 'argv', argv: { args: [] }, env: {} } }), /argv is empty/],
      [task('bad-env', 100, 32 * MIB, { command: { command: 'shell', shell: 'true', env: { TASK_ID: 'x' } } }), /set by the executor/],
      [task('tiny', 1, 32 * MIB), /at least 0.01 cpus/],
      [task('other-agent', 100, 32 * MIB, { agentId: 'a9' }), /names agent a9/],
      [task('neg', 100, 32 * MIB, { resources: { cpusMilli: -5, memBytes: 0, diskBytes: 0, gpus: 0, ports: [] } }), /non-negative/],
      [task('hc-no-port', 100, 32 * MIB, { healthCheck: { type: 'HEALTH_CHECK_HTTP', command: null, port: 0, path: '/' } }), /has no ports/],
      [task('hc-interval', 100, 32 * MIB, { healthCheck: { type: 'HEALTH_CHECK_TCP', command: null, port: 8080, path: '', intervalMs: 1 } }), /interval_ms/],
    ];
    const plan = planAccept(context(OFFERS), ['o1'], bad.map(([t]) => t));
    expect(plan.launches).toEqual([]);
    expect(plan.rejected).toHaveLength(bad.length);
    plan.rejected.forEach((r, i) => {
      expect(r).toMatchObject({ state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID' });
      expect(r.message).toMatch(bad[i][1]);
    });
  });

  test('tasks are spread over several offers of one agent, never over-committing any', () => {
    const offers = { o1: offerOn('a1', { cpusMilli: 300, memBytes: 64 * MIB }), o2: offerOn('a1', { cpusMilli: 300, memBytes: 64 * MIB }) };
    const plan = planAccept(context(offers), ['o1', 'o2'], [task('t1', 200), task('t2', 200), task('t3', 200)]);
    expect(plan.launches.map((l) => l.offerId)).toEqual(['o1', 'o2']);
    expect(plan.rejected.map((r) => r.taskId)).toEqual(['t3']);
    for (const used of plan.usedByOffer.values()) expect(used.cpusMilli).toBeLessThanOrEqual(300);
  });
});
