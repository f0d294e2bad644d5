// Seeded random operation sequences: after every step, every agent's resources are accounted for
// exactly once (available + offered + allocated = total, no port in two places), and what each
// framework holds on each agent is exactly the tasks it launched there and has not released.
// A failure names the seed and step; `createDriver(seed)` replays it exactly.

import { Allocator, EMPTY_RESOURCES, Resources, addResources, formatResources, isEmptyResources, portCount, resourcesEqual } from '../../../src/allocator';
import { Task, createDriver } from './random-ops';

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);
const STEPS = 300;

// Plain checks rather than expect(): they run thousands of times per test.
function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

function checkAgentsAddUp(allocator: Allocator, agentIds: readonly string[]): void {
  for (const agentId of agentIds) {
    const view = allocator.agent(agentId);
    if (view === undefined) continue;
    const parts: Resources[] = [view.available, view.offered, ...view.allocated.values()];
    const sum = parts.reduce(addResources, EMPTY_RESOURCES);
    check(resourcesEqual(sum, view.total), () => `${agentId}: parts add up to ${formatResources(sum)}, total ${formatResources(view.total)}`);
    const ports = parts.reduce((n, r) => n + portCount(r.ports), 0);
    check(ports === portCount(view.total.ports), () => `${agentId}: ${ports} ports held of ${portCount(view.total.ports)}`);
  }
}

function checkHoldingsMatchTasks(allocator: Allocator, agentIds: readonly string[], tasks: readonly Task[]): void {
  for (const agentId of agentIds) {
    const expected = new Map<string, Resources>();
    for (const task of tasks) {
      if (task.agentId !== agentId || isEmptyResources(task.resources)) continue;
      expected.set(task.frameworkId, addResources(expected.get(task.frameworkId) ?? EMPTY_RESOURCES, task.resources));
    }
    const actual = allocator.agent(agentId)?.allocated ?? new Map<string, Resources>();
    check(actual.size === expected.size, () => `${agentId}: held by [${[...actual.keys()]}], tasks of [${[...expected.keys()]}]`);
    for (const [frameworkId, resources] of expected) {
      const held = actual.get(frameworkId) ?? EMPTY_RESOURCES;
      check(resourcesEqual(held, resources), () => `${agentId}: ${frameworkId} holds ${formatResources(held)}, its tasks ${formatResources(resources)}`);
    }
  }
}

describe('no double allocation under random operations', () => {
  test.each(SEEDS)('seed %i', (seed) => {
    const driver = createDriver(seed);
    const transcript: string[] = [];
    for (let step = 0; step < STEPS; step++) {
      transcript.push(driver.step());
      try {
        driver.allocator.checkInvariants();
        checkAgentsAddUp(driver.allocator, driver.agentIds);
        checkHoldingsMatchTasks(driver.allocator, driver.agentIds, driver.tasks);
      } catch (error) {
        throw new Error(`seed ${seed} step ${step}; last operations:\n${transcript.slice(-8).join('\n')}`, { cause: error });
      }
    }
    // The sequence exercised the interesting paths, not just failures.
    expect(transcript.some((line) => /^accept .*: ok$/.test(line))).toBe(true);
    expect(transcript.some((line) => /^allocate@\d+: \S/.test(line))).toBe(true);
  });
});

describe('the invariant check itself', () => {
  test('detects a resource in two places', () => {
    const allocator = new Allocator();
    allocator.addAgent({ agentId: 'a', total: { cpusMilli: 1000 } });
    allocator.addFramework({ frameworkId: 'f', role: 'r' });
    allocator.allocate(0);
    // Corrupt the books from outside: hand the offered cpus back to the pool as well.
    const state = (allocator as unknown as { state: { agents: Map<string, { available: Resources }> } }).state;
    const agent = state.agents.get('a');
    if (agent === undefined) throw new Error('agent missing');
    agent.available = { ...EMPTY_RESOURCES, cpusMilli: 1000 };
    expect(() => allocator.checkInvariants()).toThrow(/available \+ offered \+ allocated/);
  });
});
