// Offers: accept and its errors, task resources, timeouts and rescinds, inactive agents and
// frameworks, minimum offer size, agent usage reports, stats.

import { Allocator, MIB, makeResources } from '../../../src/allocator';
import { mustOk, newAllocator, onlyOffer, res } from './helpers';

const PORTS = [{ begin: 31000, end: 31009 }];

function cluster(agentIds: readonly string[], frameworkIds: readonly string[]): Allocator {
  const allocator = newAllocator();
  for (const id of agentIds) mustOk(allocator.addAgent({ agentId: id, total: res(4, 8, { ports: PORTS }) }));
  for (const id of frameworkIds) mustOk(allocator.addFramework({ frameworkId: id, role: 'r' }));
  return allocator;
}

describe('accept', () => {
  test('used resources become the framework’s; the rest returns to the pool; releasing gives them back', () => {
    const allocator = cluster(['agent-1'], ['A']);
    const offer = onlyOffer(allocator.allocate(0));
    expect(offer).toEqual({ offerId: 'offer-1', frameworkId: 'A', agentId: 'agent-1', resources: res(4, 8, { ports: PORTS }), createdAtMs: 0 });
    const task = res(1, 2, { ports: [{ begin: 31003, end: 31003 }] });
    mustOk(allocator.accept(offer.offerId, 'A', task));

    const agent = allocator.agent('agent-1');
    expect(agent?.allocated.get('A')).toEqual(task);
    expect(agent?.available).toEqual(res(3, 6, { ports: [{ begin: 31000, end: 31002 }, { begin: 31004, end: 31009 }] }));
    expect(agent?.offered).toEqual(res(0, 0));
    expect(allocator.stats().frameworks[0]).toMatchObject({ allocated: { cpusMilli: 1000 }, offersOutstanding: 0 });
    // The remainder is offered in the next cycle, without the used port.
    expect(onlyOffer(allocator.allocate(1000)).resources).toEqual(agent?.available);

    allocator.rescindOffersOnAgent('agent-1');
    mustOk(allocator.releaseTaskResources('A', 'agent-1', task));
    expect(allocator.agent('agent-1')?.available).toEqual(res(4, 8, { ports: PORTS }));
    expect(allocator.agent('agent-1')?.allocated.size).toBe(0);
  });

  test('an offer is answered once', () => {
    const allocator = cluster(['agent-1'], ['A']);
    const offer = onlyOffer(allocator.allocate(0));
    mustOk(allocator.accept(offer.offerId, 'A', res(1, 1)));
    expect(allocator.accept(offer.offerId, 'A', res(1, 1))).toMatchObject({ ok: false, code: 'UNKNOWN_OFFER' });
  });

  test('UNKNOWN_OFFER for an id never made', () => {
    const allocator = cluster(['agent-1'], ['A']);
    expect(allocator.accept('offer-42', 'A', res(1, 1))).toMatchObject({ ok: false, code: 'UNKNOWN_OFFER', message: expect.stringContaining('offer-42') });
  });

  test('OFFER_NOT_OWNED when another framework answers; the offer stays with its owner', () => {
    const allocator = cluster(['agent-1'], ['A', 'B']);
    const offer = onlyOffer(allocator.allocate(0));
    expect(offer.frameworkId).toBe('A');
    expect(allocator.accept(offer.offerId, 'B', res(1, 1))).toMatchObject({ ok: false, code: 'OFFER_NOT_OWNED' });
    mustOk(allocator.accept(offer.offerId, 'A', res(1, 1)));
  });

  test('INSUFFICIENT_RESOURCES when using more than offered (scalars or ports); the offer is spent and its resources return', () => {
    const allocator = cluster(['agent-1', 'agent-2'], ['A']);
    const [first, second] = allocator.allocate(0);
    expect(allocator.accept(first.offerId, 'A', res(5, 1))).toMatchObject({ ok: false, code: 'INSUFFICIENT_RESOURCES' });
    expect(allocator.accept(second.offerId, 'A', res(1, 1, { ports: [{ begin: 80, end: 80 }] }))).toMatchObject({
      ok: false,
      code: 'INSUFFICIENT_RESOURCES',
      message: expect.stringContaining('ports:[80-80]'),
    });
    for (const id of ['agent-1', 'agent-2']) expect(allocator.agent(id)?.available).toEqual(res(4, 8, { ports: PORTS }));
    expect(allocator.offer(first.offerId)).toBeUndefined();
  });

  test('INVALID_RESOURCES for malformed usage', () => {
    const allocator = cluster(['agent-1'], ['A']);
    const offer = onlyOffer(allocator.allocate(0));
    expect(allocator.accept(offer.offerId, 'A', { cpusMilli: 1.5 })).toMatchObject({ ok: false, code: 'INVALID_RESOURCES' });
  });

  test('AGENT_GONE when the agent was removed, or is no longer active', () => {
    const allocator = cluster(['agent-1', 'agent-2'], ['A']);
    const [onRemoved, onDraining] = allocator.allocate(0);
    const removed = allocator.removeAgent('agent-1');
    expect(removed).toEqual({ ok: true, rescinded: [onRemoved] });
    expect(allocator.accept(onRemoved.offerId, 'A', res(1, 1))).toMatchObject({ ok: false, code: 'AGENT_GONE' });
    mustOk(allocator.deactivateAgent('agent-2', 'draining'));
    expect(allocator.accept(onDraining.offerId, 'A', res(1, 1))).toMatchObject({ ok: false, code: 'AGENT_GONE', message: expect.stringContaining('draining') });
    expect(allocator.agent('agent-2')?.available).toEqual(res(4, 8, { ports: PORTS }));
  });

  test('releasing what a framework does not hold is NOT_ALLOCATED and changes nothing', () => {
    const allocator = cluster(['agent-1'], ['A', 'B']);
    const offer = onlyOffer(allocator.allocate(0));
    mustOk(allocator.accept(offer.offerId, 'A', res(1, 1)));
    expect(allocator.releaseTaskResources('A', 'agent-1', res(2, 1))).toMatchObject({ ok: false, code: 'NOT_ALLOCATED' });
    expect(allocator.releaseTaskResources('B', 'agent-1', res(1, 1))).toMatchObject({ ok: false, code: 'NOT_ALLOCATED' });
    expect(allocator.releaseTaskResources('A', 'agent-9', res(1, 1))).toMatchObject({ ok: false, code: 'UNKNOWN_AGENT' });
    expect(allocator.releaseTaskResources('Z', 'agent-1', res(1, 1))).toMatchObject({ ok: false, code: 'UNKNOWN_FRAMEWORK' });
    expect(allocator.agent('agent-1')?.allocated.get('A')).toEqual(res(1, 1));
  });
});

describe('offer timeout and rescind', () => {
  test('offers are rescinded exactly when they reach the timeout, and their resources return', () => {
    const allocator = cluster(['agent-1'], ['A']);
    const offer = onlyOffer(allocator.allocate(1000));
    expect(allocator.expireOffers(10_999, 10_000)).toEqual([]);
    expect(allocator.offer(offer.offerId)).toBeDefined();
    expect(allocator.expireOffers(11_000, 10_000)).toEqual([offer]);
    expect(allocator.offer(offer.offerId)).toBeUndefined();
    expect(allocator.agent('agent-1')?.available).toEqual(res(4, 8, { ports: PORTS }));
    expect(allocator.accept(offer.offerId, 'A', res(1, 1))).toMatchObject({ ok: false, code: 'UNKNOWN_OFFER' });
    // No filter results from a timeout: the agent is offered again, under a new id.
    expect(onlyOffer(allocator.allocate(11_000)).offerId).toBe('offer-2');
  });

  test('rescindOffersOnAgent returns that agent’s offers only', () => {
    const allocator = cluster(['agent-1', 'agent-2'], ['A', 'B']);
    const offers = allocator.allocate(0);
    expect(offers).toHaveLength(2);
    expect(allocator.rescindOffersOnAgent('agent-2')).toEqual([offers[1]]);
    expect(allocator.offer(offers[0].offerId)).toEqual(offers[0]);
    expect(allocator.rescindOffersOnAgent('agent-9')).toEqual([]);
    expect(allocator.rescindOffer(offers[0].offerId)).toEqual(offers[0]);
    expect(allocator.rescindOffer(offers[0].offerId)).toBeUndefined();
    expect(allocator.stats().offersOutstanding).toBe(0);
  });
});

describe('inactive agents and frameworks', () => {
  test('deactivated agents get no offers until activated again', () => {
    const allocator = cluster(['agent-1', 'agent-2'], ['A']);
    mustOk(allocator.deactivateAgent('agent-1', 'unreachable'));
    expect(allocator.allocate(0).map((o) => o.agentId)).toEqual(['agent-2']);
    expect(allocator.stats().agentsActive).toBe(1);
    mustOk(allocator.activateAgent('agent-1'));
    expect(allocator.allocate(1).map((o) => o.agentId)).toEqual(['agent-1']);
  });

  test('an agent added as draining is never offered', () => {
    const allocator = newAllocator();
    mustOk(allocator.addAgent({ agentId: 'a', total: res(1, 1), state: 'draining' }));
    mustOk(allocator.addFramework({ frameworkId: 'A', role: 'r' }));
    expect(allocator.allocate(0)).toEqual([]);
  });

  test('a deactivated framework loses its offers and gets none until reactivated', () => {
    const allocator = cluster(['agent-1'], ['A', 'B']);
    const offer = onlyOffer(allocator.allocate(0));
    expect(allocator.deactivateFramework('A')).toEqual({ ok: true, rescinded: [offer] });
    expect(onlyOffer(allocator.allocate(1)).frameworkId).toBe('B');
    mustOk(allocator.removeFramework('B'));
    expect(allocator.allocate(2)).toEqual([]);
    mustOk(allocator.activateFramework('A'));
    expect(onlyOffer(allocator.allocate(3)).frameworkId).toBe('A');
  });

  test('removing a framework frees what it held and rescinds its offers', () => {
    const allocator = cluster(['agent-1', 'agent-2'], ['A']);
    const [a1, a2] = allocator.allocate(0);
    mustOk(allocator.accept(a1.offerId, 'A', res(2, 2)));
    const removed = allocator.removeFramework('A');
    expect(removed).toEqual({ ok: true, rescinded: [a2] });
    for (const id of ['agent-1', 'agent-2']) expect(allocator.agent(id)?.available).toEqual(res(4, 8, { ports: PORTS }));
    expect(allocator.removeFramework('A')).toMatchObject({ ok: false, code: 'UNKNOWN_FRAMEWORK' });
  });
});

describe('minimum offer size', () => {
  function leaveFree(cpusMilli: number, memBytes: number): Allocator {
    const allocator = newAllocator();
    mustOk(allocator.addAgent({ agentId: 'agent-1', total: makeResources({ cpusMilli: 4000, memBytes: 4096 * MIB }) }));
    mustOk(allocator.addFramework({ frameworkId: 'A', role: 'r' }));
    const offer = onlyOffer(allocator.allocate(0));
    mustOk(allocator.accept(offer.offerId, 'A', makeResources({ cpusMilli: 4000 - cpusMilli, memBytes: 4096 * MIB - memBytes })));
    return allocator;
  }

  test('leftovers under 10 milli-cpus and 32 MiB are not offered (Mesos min_allocatable_resources)', () => {
    expect(leaveFree(9, 31 * MIB).allocate(1)).toEqual([]);
  });

  test.each([
    [10, 0],
    [0, 32 * MIB],
  ])('%i milli-cpus and %i bytes free are enough', (cpusMilli, memBytes) => {
    expect(leaveFree(cpusMilli, memBytes).allocate(1)).toHaveLength(1);
  });

  test('the allocator-wide minimum is configurable', () => {
    const allocator = newAllocator({ minAllocatable: [{ cpusMilli: 2000, memBytes: 64 * MIB }] });
    mustOk(allocator.addAgent({ agentId: 'small', total: res(1, 8) }));
    mustOk(allocator.addAgent({ agentId: 'big', total: res(2, 1) }));
    mustOk(allocator.addFramework({ frameworkId: 'A', role: 'r' }));
    expect(allocator.allocate(0).map((o) => o.agentId)).toEqual(['big']);
  });

  test('a framework’s own minimum skips it for small agents, which go to others', () => {
    const allocator = newAllocator();
    mustOk(allocator.addAgent({ agentId: 'small', total: res(2, 4) }));
    mustOk(allocator.addAgent({ agentId: 'large', total: res(8, 16) }));
    mustOk(allocator.addFramework({ frameworkId: 'A-picky', role: 'r', minOfferSize: [{ cpusMilli: 4000 }] }));
    mustOk(allocator.addFramework({ frameworkId: 'B', role: 'r' }));
    const offers = allocator.allocate(0).map((o) => [o.agentId, o.frameworkId]);
    expect(offers).toEqual([
      ['small', 'B'],
      ['large', 'A-picky'],
    ]);
  });
});

describe('agent usage reports', () => {
  test('updateAgentUsed sets each framework’s usage and frees the rest', () => {
    const allocator = cluster(['agent-1'], ['A', 'B']);
    const result = allocator.updateAgentUsed('agent-1', new Map([['A', res(1, 1)], ['B', res(2, 2)]]));
    expect(result).toEqual({ ok: true, rescinded: [] });
    expect(allocator.agent('agent-1')?.available).toEqual(res(1, 5, { ports: PORTS }));
    mustOk(allocator.updateAgentUsed('agent-1', new Map([['A', res(1, 1)]])));
    expect(allocator.agent('agent-1')?.available).toEqual(res(3, 7, { ports: PORTS }));
    expect([...(allocator.agent('agent-1')?.allocated.keys() ?? [])]).toEqual(['A']);
  });

  test('offers survive a usage report that fits beside them, and are rescinded when it does not', () => {
    const allocator = cluster(['agent-1'], ['A']);
    mustOk(allocator.updateAgentUsed('agent-1', new Map([['A', res(2, 2)]])));
    const offer = onlyOffer(allocator.allocate(0));
    expect(allocator.updateAgentUsed('agent-1', new Map([['A', res(1, 1)]]))).toEqual({ ok: true, rescinded: [] });
    expect(allocator.updateAgentUsed('agent-1', new Map([['A', res(3, 3)]]))).toEqual({ ok: true, rescinded: [offer] });
  });

  test('usage reports are validated', () => {
    const allocator = cluster(['agent-1'], ['A', 'B']);
    const port = { ports: [{ begin: 31000, end: 31000 }] };
    expect(allocator.updateAgentUsed('agent-1', new Map([['Z', res(1, 1)]]))).toMatchObject({ ok: false, code: 'UNKNOWN_FRAMEWORK' });
    expect(allocator.updateAgentUsed('nope', new Map())).toMatchObject({ ok: false, code: 'UNKNOWN_AGENT' });
    expect(allocator.updateAgentUsed('agent-1', new Map([['A', res(5, 1)]]))).toMatchObject({ ok: false, code: 'INSUFFICIENT_RESOURCES' });
    expect(allocator.updateAgentUsed('agent-1', new Map([['A', res(1, 1, port)], ['B', res(1, 1, port)]]))).toMatchObject({
      ok: false,
      code: 'INVALID_RESOURCES',
      message: expect.stringContaining('same port'),
    });
  });
});

describe('registration', () => {
  test('duplicates, bad input and limits are reported', () => {
    const allocator = newAllocator({ limits: { agentsMax: 1, frameworksMax: 1 } });
    mustOk(allocator.addAgent({ agentId: 'a', total: res(1, 1) }));
    expect(allocator.addAgent({ agentId: 'a', total: res(1, 1) })).toMatchObject({ ok: false, code: 'AGENT_EXISTS' });
    expect(allocator.addAgent({ agentId: 'b', total: res(1, 1) })).toMatchObject({ ok: false, code: 'LIMIT_EXCEEDED' });
    expect(allocator.addAgent({ agentId: '', total: res(1, 1) })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(allocator.addAgent({ agentId: 'c', total: { cpusMilli: -1 } })).toMatchObject({ ok: false, code: 'INVALID_RESOURCES' });
    const manyAttributes = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect(allocator.addAgent({ agentId: 'c', total: res(1, 1), attributes: manyAttributes })).toMatchObject({
      ok: false,
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('at most 64 attributes'),
    });
    mustOk(allocator.addFramework({ frameworkId: 'A', role: 'r' }));
    expect(allocator.addFramework({ frameworkId: 'A', role: 'r' })).toMatchObject({ ok: false, code: 'FRAMEWORK_EXISTS' });
    expect(allocator.addFramework({ frameworkId: 'B', role: 'r' })).toMatchObject({ ok: false, code: 'LIMIT_EXCEEDED' });
    expect(allocator.addFramework({ frameworkId: 'C', role: 'r', weight: 0 })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(allocator.addFramework({ frameworkId: 'C', role: 'x'.repeat(300) })).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
    expect(allocator.removeAgent('zz')).toMatchObject({ ok: false, code: 'UNKNOWN_AGENT' });
  });

  test('stats report shares, weights and outstanding offers', () => {
    const allocator = newAllocator();
    mustOk(allocator.addAgent({ agentId: 'a', total: res(10, 10) }));
    mustOk(allocator.addAgent({ agentId: 'b', total: res(10, 10) }));
    mustOk(allocator.addFramework({ frameworkId: 'A', role: 'web', weight: 2 }));
    const [offerA, offerB] = allocator.allocate(0);
    mustOk(allocator.accept(offerA.offerId, 'A', res(5, 1)));
    const stats = allocator.stats();
    expect(stats).toMatchObject({ agents: 2, agentsActive: 2, offersOutstanding: 1, clusterTotal: { cpusMilli: 20_000 } });
    expect(stats.frameworks[0]).toMatchObject({
      frameworkId: 'A',
      role: 'web',
      weight: 2,
      active: true,
      allocated: { cpusMilli: 5000 },
      offered: { cpusMilli: 10_000 },
      offersOutstanding: 1,
      dominantShare: 0.75, // (5 + 10) of 20 cpus
      weightedShare: 0.375,
    });
    expect(offerB.agentId).toBe('b');
  });
});
