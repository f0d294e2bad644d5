// Same inputs, same outputs: two allocators driven by the same seeded operations make identical
// offers (ids, frameworks, agents, resources) and identical answers.

import { Allocator, GIB, makeResources } from '../../../src/allocator';
import { createDriver } from './random-ops';
import { mustOk, res } from './helpers';

function transcript(seed: number, steps: number): string[] {
  const driver = createDriver(seed);
  return Array.from({ length: steps }, () => driver.step());
}

describe('determinism', () => {
  test.each([7, 8, 9])('seed %i: the same operation sequence gives the same transcript', (seed) => {
    const first = transcript(seed, 300);
    expect(transcript(seed, 300)).toEqual(first);
    expect(first.filter((line) => line.startsWith('allocate@')).join('')).toMatch(/->f\d@a\d/);
  });

  test('different seeds give different transcripts (the comparison above can fail)', () => {
    expect(transcript(7, 300)).not.toEqual(transcript(8, 300));
  });

  test('identical clusters built in the same order make identical offers', () => {
    const build = (): Allocator => {
      const allocator = new Allocator({ offerIdPrefix: 'm1' });
      for (let i = 0; i < 20; i++) mustOk(allocator.addAgent({ agentId: `agent-${i}`, total: res(1 + (i % 4), 2 + (i % 3)) }));
      for (let i = 0; i < 5; i++) mustOk(allocator.addFramework({ frameworkId: `fw-${i}`, role: 'r', weight: 1 + (i % 2) }));
      return allocator;
    };
    const a = build();
    const b = build();
    for (let cycle = 0; cycle < 5; cycle++) {
      const offersA = a.allocate(cycle * 1000);
      const offersB = b.allocate(cycle * 1000);
      expect(offersB).toEqual(offersA);
      for (const offer of offersA) {
        // Half a cpu and 1 GiB per task, or what is left of them.
        const used = makeResources({ cpusMilli: Math.min(500, offer.resources.cpusMilli), memBytes: Math.min(GIB, offer.resources.memBytes) });
        mustOk(a.accept(offer.offerId, offer.frameworkId, used));
        mustOk(b.accept(offer.offerId, offer.frameworkId, used));
      }
    }
    expect(b.stats()).toEqual(a.stats());
  });
});
