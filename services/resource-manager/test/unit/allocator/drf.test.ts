// Dominant Resource Fairness, checked the way the paper states it: frameworks that take one task
// per offer converge to equal (weighted) dominant shares.

import { Allocator, Resources, containsResources } from '../../../src/allocator';
import { mustOk, newAllocator, res } from './helpers';

const HOUR_SECONDS = 3600;

/**
 * Runs allocation cycles until no offer is made: each framework launches one task of its shape
 * per offer if it fits, and otherwise declines the offer for an hour (it is full). Returns the
 * number of tasks each framework launched.
 */
function fillOneTaskPerOffer(allocator: Allocator, shapes: ReadonlyMap<string, Resources>, cyclesMax: number): Map<string, number> {
  const tasks = new Map<string, number>([...shapes.keys()].map((id) => [id, 0]));
  for (let cycle = 0; cycle < cyclesMax; cycle++) {
    const nowMs = cycle * 1000;
    const offers = allocator.allocate(nowMs);
    if (offers.length === 0) return tasks;
    for (const offer of offers) {
      const shape = shapes.get(offer.frameworkId) as Resources;
      if (containsResources(offer.resources, shape)) {
        mustOk(allocator.accept(offer.offerId, offer.frameworkId, shape));
        tasks.set(offer.frameworkId, (tasks.get(offer.frameworkId) ?? 0) + 1);
      } else {
        mustOk(allocator.decline(offer.frameworkId, { offerId: offer.offerId }, HOUR_SECONDS, nowMs));
      }
    }
  }
  throw new Error(`no convergence within ${cyclesMax} cycles`);
}

describe('DRF (Ghodsi et al., NSDI 2011)', () => {
  test('§4 example: <1 CPU, 4 GB> and <3 CPUs, 1 GB> tasks on 9 CPUs / 18 GB get 3 and 2 tasks, both at share 2/3', () => {
    const allocator = newAllocator();
    mustOk(allocator.addAgent({ agentId: 'agent-1', total: res(9, 18) }));
    mustOk(allocator.addFramework({ frameworkId: 'A', role: 'a' }));
    mustOk(allocator.addFramework({ frameworkId: 'B', role: 'b' }));
    const tasks = fillOneTaskPerOffer(allocator, new Map([['A', res(1, 4)], ['B', res(3, 1)]]), 50);

    expect(Object.fromEntries(tasks)).toEqual({ A: 3, B: 2 });
    const [a, b] = allocator.stats().frameworks;
    expect(a.allocated).toEqual({ cpusMilli: 3000, memBytes: res(0, 12).memBytes, diskBytes: 0, gpus: 0 });
    expect(b.allocated).toEqual({ cpusMilli: 6000, memBytes: res(0, 2).memBytes, diskBytes: 0, gpus: 0 });
    expect(a.dominantShare).toBeCloseTo(2 / 3, 12); // memory: 12 of 18 GB
    expect(b.dominantShare).toBeCloseTo(2 / 3, 12); // cpus: 6 of 9
  });

  test('weight 2 ends with about twice the dominant share of weight 1', () => {
    const allocator = newAllocator();
    for (let i = 0; i < 10; i++) mustOk(allocator.addAgent({ agentId: `agent-${i}`, total: res(6, 12) }));
    mustOk(allocator.addFramework({ frameworkId: 'light', role: 'r', weight: 1 }));
    mustOk(allocator.addFramework({ frameworkId: 'heavy', role: 'r', weight: 2 }));
    const tasks = fillOneTaskPerOffer(allocator, new Map([['light', res(1, 1)], ['heavy', res(1, 1)]]), 200);

    // 60 cpus in total, one cpu per task: weighted-fair is 20 and 40.
    expect((tasks.get('light') ?? 0) + (tasks.get('heavy') ?? 0)).toBe(60);
    expect(tasks.get('heavy')).toBeGreaterThanOrEqual(38);
    expect(tasks.get('heavy')).toBeLessThanOrEqual(42);
    const byId = new Map(allocator.stats().frameworks.map((f) => [f.frameworkId, f]));
    const ratio = (byId.get('heavy')?.dominantShare ?? 0) / (byId.get('light')?.dominantShare ?? 1);
    expect(ratio).toBeGreaterThan(1.7);
    expect(ratio).toBeLessThan(2.3);
  });

  test('equal weights split the same cluster evenly (the weight is what makes the difference)', () => {
    const allocator = newAllocator();
    for (let i = 0; i < 10; i++) mustOk(allocator.addAgent({ agentId: `agent-${i}`, total: res(6, 12) }));
    mustOk(allocator.addFramework({ frameworkId: 'x', role: 'r' }));
    mustOk(allocator.addFramework({ frameworkId: 'y', role: 'r' }));
    const tasks = fillOneTaskPerOffer(allocator, new Map([['x', res(1, 1)], ['y', res(1, 1)]]), 200);
    expect(Math.abs((tasks.get('x') ?? 0) - (tasks.get('y') ?? 0))).toBeLessThanOrEqual(2);
  });

  test('the lowest share goes first; ties go to the smaller framework id', () => {
    const allocator = newAllocator();
    mustOk(allocator.addAgent({ agentId: 'a1', total: res(4, 8) }));
    mustOk(allocator.addAgent({ agentId: 'a2', total: res(4, 8) }));
    mustOk(allocator.addFramework({ frameworkId: 'fw-b', role: 'r' }));
    mustOk(allocator.addFramework({ frameworkId: 'fw-a', role: 'r' }));
    const offers = allocator.allocate(0);
    expect(offers.map((o) => [o.agentId, o.frameworkId])).toEqual([
      ['a1', 'fw-a'],
      ['a2', 'fw-b'],
    ]);
  });

  test('outstanding offers count toward the share: a framework sitting on an offer is not offered more first', () => {
    const allocator = newAllocator();
    mustOk(allocator.addAgent({ agentId: 'big', total: res(8, 16) }));
    mustOk(allocator.addFramework({ frameworkId: 'A', role: 'r' }));
    const [held] = allocator.allocate(0);
    expect(held.frameworkId).toBe('A');
    mustOk(allocator.addFramework({ frameworkId: 'B', role: 'r' }));
    mustOk(allocator.addAgent({ agentId: 'small', total: res(1, 1) }));
    // Neither has launched anything; A holds an unanswered offer of the big agent.
    expect(allocator.allocate(1000).map((o) => [o.agentId, o.frameworkId])).toEqual([['small', 'B']]);
  });
});
