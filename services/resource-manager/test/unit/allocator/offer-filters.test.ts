// Mesos offer filters (DECLINE with refuse_seconds), SUPPRESS and REVIVE.

import { Allocator, FILTERS_PER_AGENT_MAX } from '../../../src/allocator';
import { FilterExpiryQueue, OfferFilters } from '../../../src/allocator/offer-filters';
import { mustOk, newAllocator, onlyOffer, res } from './helpers';

function oneAgent(frameworkIds: readonly string[]): Allocator {
  const allocator = newAllocator();
  mustOk(allocator.addAgent({ agentId: 'agent-1', total: res(4, 8) }));
  for (const id of frameworkIds) mustOk(allocator.addFramework({ frameworkId: id, role: 'r' }));
  return allocator;
}

describe('decline filters', () => {
  test('a declined agent is not offered again to that framework until exactly nowMs + refuse', () => {
    const allocator = oneAgent(['A']);
    const offer = onlyOffer(allocator.allocate(0));
    mustOk(allocator.decline('A', { offerId: offer.offerId }, 5, 1000));
    expect(allocator.agent('agent-1')?.available).toEqual(res(4, 8)); // resources are back in the pool
    expect(allocator.allocate(1000)).toEqual([]);
    expect(allocator.allocate(5999)).toEqual([]);
    const again = onlyOffer(allocator.allocate(6000));
    expect(again).toMatchObject({ frameworkId: 'A', agentId: 'agent-1', resources: res(4, 8), createdAtMs: 6000 });
    expect(again.offerId).not.toBe(offer.offerId);
  });

  test('fractional refuse seconds are honoured to the millisecond', () => {
    const allocator = oneAgent(['A']);
    mustOk(allocator.decline('A', { offerId: onlyOffer(allocator.allocate(0)).offerId }, 0.25, 100));
    expect(allocator.allocate(349)).toEqual([]);
    expect(allocator.allocate(350)).toHaveLength(1);
  });

  test('while filtered for one framework, the agent goes to the next one', () => {
    const allocator = oneAgent(['A', 'B']);
    const first = onlyOffer(allocator.allocate(0));
    expect(first.frameworkId).toBe('A');
    mustOk(allocator.decline('A', { offerId: first.offerId }, 60, 0));
    expect(onlyOffer(allocator.allocate(1)).frameworkId).toBe('B');
  });

  test('the filter covers only what was refused: more free resources are offered again at once', () => {
    const allocator = oneAgent(['A']);
    const offer = onlyOffer(allocator.allocate(0));
    // A launches a 1-cpu task and refuses the rest for an hour.
    mustOk(allocator.accept(offer.offerId, 'A', res(1, 2), { refuseSeconds: 3600, nowMs: 0 }));
    expect(allocator.allocate(1000)).toEqual([]);
    // The task ends: the free resources (4 cpus) are more than the refused 3, so the filter no longer applies.
    mustOk(allocator.releaseTaskResources('A', 'agent-1', res(1, 2)));
    expect(onlyOffer(allocator.allocate(2000)).resources).toEqual(res(4, 8));
  });

  test('refuse 0 installs no filter', () => {
    const allocator = oneAgent(['A']);
    mustOk(allocator.decline('A', { offerId: onlyOffer(allocator.allocate(0)).offerId }, 0, 0));
    expect(allocator.allocate(0)).toHaveLength(1);
  });

  test('a decline without an offer filters the named resources on the agent', () => {
    const allocator = oneAgent(['A']);
    mustOk(allocator.decline('A', { agentId: 'agent-1', resources: res(8, 16) }, 10, 0));
    expect(allocator.allocate(0)).toEqual([]);
    expect(allocator.allocate(10_000)).toHaveLength(1);
    expect(allocator.decline('A', { agentId: 'nope', resources: res(1, 1) }, 10, 0)).toMatchObject({ ok: false, code: 'UNKNOWN_AGENT' });
  });

  test('declines are validated', () => {
    const allocator = oneAgent(['A', 'B']);
    const offer = onlyOffer(allocator.allocate(0));
    expect(allocator.decline('A', { offerId: offer.offerId }, -1, 0)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(allocator.decline('A', { offerId: offer.offerId }, Number.NaN, 0)).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(allocator.decline('B', { offerId: offer.offerId }, 5, 0)).toMatchObject({ ok: false, code: 'OFFER_NOT_OWNED' });
    expect(allocator.decline('C', { offerId: offer.offerId }, 5, 0)).toMatchObject({ ok: false, code: 'UNKNOWN_FRAMEWORK' });
    expect(allocator.decline('A', { offerId: 'offer-99' }, 5, 0)).toMatchObject({ ok: false, code: 'UNKNOWN_OFFER' });
    // None of the failed declines touched the offer.
    expect(allocator.offer(offer.offerId)).toEqual(offer);
  });

  test('refuse longer than the limit is capped to it (one year by default)', () => {
    const allocator = oneAgent(['A']);
    const yearMs = 365 * 24 * 3600 * 1000;
    mustOk(allocator.decline('A', { offerId: onlyOffer(allocator.allocate(0)).offerId }, 1e12, 0));
    expect(allocator.allocate(yearMs - 1)).toEqual([]);
    expect(allocator.allocate(yearMs)).toHaveLength(1);
  });

  test(`each (framework, agent) keeps at most ${FILTERS_PER_AGENT_MAX} filters, the longest-lasting ones`, () => {
    const allocator = oneAgent(['A']);
    // Ten filters, each refusing more than the one before for less time (none makes another redundant).
    // The first (100 s) is the oldest but lasts longest; it must survive the cap.
    for (let i = 1; i <= 10; i++) {
      mustOk(allocator.decline('A', { agentId: 'agent-1', resources: res(4, 8 + i) }, 110 - i * 10, 0));
    }
    expect(allocator.allocate(99_999)).toEqual([]);
    expect(onlyOffer(allocator.allocate(100_000)).frameworkId).toBe('A');
  });
});

describe('filter expiry', () => {
  test('lapsed filters are dropped within a second even for agents the framework is never offered again', () => {
    const allocator = oneAgent(['A', 'B']);
    mustOk(allocator.decline('A', { offerId: onlyOffer(allocator.allocate(0)).offerId }, 5, 0));
    const toB = onlyOffer(allocator.allocate(1000));
    mustOk(allocator.accept(toB.offerId, 'B', toB.resources)); // B keeps the whole agent
    expect(allocator.allocate(4999)).toEqual([]);
    expect(allocator.stats().frameworks[0].filteredAgents).toBe(1);
    expect(allocator.allocate(6000)).toEqual([]); // pruned within a second of lapsing
    expect(allocator.stats().frameworks[0].filteredAgents).toBe(0);
  });

  test('filters dropped before they lapse (revive) do not pile up in the expiry queue', () => {
    const filters = new OfferFilters();
    const queue = new FilterExpiryQueue(() => [filters]);
    const yearMs = 365 * 24 * 3600 * 1000;
    for (let i = 0; i < 20_000; i++) {
      filters.refuse(`agent-${i % 100}`, res(1, 1), yearMs + i, 0);
      queue.schedule(filters, `agent-${i % 100}`, yearMs + i);
      if (i % 1000 === 999) filters.clear(); // a revive
    }
    expect(filters.size).toBeLessThanOrEqual(100);
    expect(queue.size).toBeLessThan(2_100);
    queue.expire(2 * yearMs);
    expect(filters.size).toBe(0);
    expect(queue.size).toBe(0);
  });
});

describe('suppress and revive', () => {
  test('suppress stops new offers; outstanding offers stay valid', () => {
    const allocator = oneAgent(['A']);
    const offer = onlyOffer(allocator.allocate(0));
    mustOk(allocator.suppress('A'));
    expect(allocator.stats().frameworks[0].suppressed).toBe(true);
    mustOk(allocator.accept(offer.offerId, 'A', res(1, 1)));
    expect(allocator.allocate(1000)).toEqual([]);
    mustOk(allocator.releaseTaskResources('A', 'agent-1', res(1, 1)));
    expect(allocator.allocate(2000)).toEqual([]);
  });

  test('a suppressed framework does not block others', () => {
    const allocator = oneAgent(['A', 'B']);
    mustOk(allocator.suppress('A'));
    expect(onlyOffer(allocator.allocate(0)).frameworkId).toBe('B');
  });

  test('revive restores offers and clears every filter', () => {
    const allocator = oneAgent(['A']);
    mustOk(allocator.decline('A', { offerId: onlyOffer(allocator.allocate(0)).offerId }, 3600, 0));
    mustOk(allocator.suppress('A'));
    expect(allocator.allocate(1000)).toEqual([]);
    mustOk(allocator.revive('A'));
    expect(onlyOffer(allocator.allocate(1000)).frameworkId).toBe('A');
    expect(allocator.stats().frameworks[0]).toMatchObject({ suppressed: false, filteredAgents: 0 });
  });

  test('suppress and revive of an unknown framework are reported', () => {
    const allocator = oneAgent([]);
    expect(allocator.suppress('X')).toMatchObject({ ok: false, code: 'UNKNOWN_FRAMEWORK' });
    expect(allocator.revive('X')).toMatchObject({ ok: false, code: 'UNKNOWN_FRAMEWORK' });
  });
});
