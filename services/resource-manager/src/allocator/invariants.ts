// The allocator's safety invariants, checked in full (O(agents + offers + allocations)).
// The one that matters most: no resource is ever in two places, so nothing is offered or
// allocated twice; for every agent, available + offered + allocated = total, ports disjoint.

import assert from 'node:assert/strict';
import { AgentEntry, AllocatorState, Quantities, addQuantities, zeroQuantities } from './allocator-state';
import { portCount } from './port-ranges';
import {
  EMPTY_RESOURCES,
  Resources,
  SCALAR_KINDS,
  ScalarQuantities,
  addResources,
  formatResources,
  isEmptyResources,
  resourcesEqual,
} from './resources';

export function checkInvariants(state: AllocatorState): void {
  const allocatedByFramework = new Map<string, Quantities>();
  const offeredByFramework = new Map<string, Quantities>();
  const clusterTotal = zeroQuantities();
  for (const agent of state.agents.values()) {
    checkAgent(state, agent, allocatedByFramework, offeredByFramework);
    addQuantities(clusterTotal, agent.total, 1);
  }
  assertSameQuantities(state.clusterTotal, clusterTotal, 'cluster total drifted from the sum of agent totals');
  for (const offer of state.offers.values()) {
    const framework = state.frameworks.get(offer.frameworkId);
    assert(framework !== undefined && framework.offerIds.has(offer.offerId), `offer ${offer.offerId} not on its framework`);
  }
  for (const framework of state.frameworks.values()) {
    const id = framework.frameworkId;
    assertSameQuantities(framework.allocated, allocatedByFramework.get(id) ?? zeroQuantities(), `framework ${id}: allocated sum drifted`);
    assertSameQuantities(framework.offered, offeredByFramework.get(id) ?? zeroQuantities(), `framework ${id}: offered sum drifted`);
    for (const offerId of framework.offerIds) assert(state.offers.has(offerId), `framework ${id} holds a closed offer ${offerId}`);
    for (const agentId of framework.agentsWithAllocation) {
      assert(state.agents.get(agentId)?.allocated.has(id) === true, `framework ${id}: stale allocation on ${agentId}`);
    }
  }
}

function checkAgent(
  state: AllocatorState,
  agent: AgentEntry,
  allocatedByFramework: Map<string, Quantities>,
  offeredByFramework: Map<string, Quantities>,
): void {
  const parts: Resources[] = [agent.available];
  for (const offerId of agent.offerIds) {
    const offer = state.offers.get(offerId);
    assert(offer !== undefined && offer.agentId === agent.agentId, `agent ${agent.agentId} lists offer ${offerId} it does not have`);
    assert(!isEmptyResources(offer.resources), `offer ${offerId} is empty`);
    parts.push(offer.resources);
    addQuantities(sumFor(offeredByFramework, offer.frameworkId), offer.resources, 1);
  }
  for (const [frameworkId, resources] of agent.allocated) {
    const framework = state.frameworks.get(frameworkId);
    assert(framework !== undefined && framework.agentsWithAllocation.has(agent.agentId), `agent ${agent.agentId}: allocation of unknown ${frameworkId}`);
    assert(!isEmptyResources(resources), `agent ${agent.agentId}: empty allocation kept for ${frameworkId}`);
    parts.push(resources);
    addQuantities(sumFor(allocatedByFramework, frameworkId), resources, 1);
  }
  const sum = parts.reduce(addResources, EMPTY_RESOURCES);
  const where = `agent ${agent.agentId}: available + offered + allocated`;
  if (!resourcesEqual(sum, agent.total)) assert.fail(`${where} = ${formatResources(sum)}, total ${formatResources(agent.total)}`);
  const portsHeld = parts.reduce((n, r) => n + portCount(r.ports), 0);
  assert.equal(portsHeld, portCount(agent.total.ports), `${where}: a port is in two places`);
}

function assertSameQuantities(actual: ScalarQuantities, expected: ScalarQuantities, message: string): void {
  for (const kind of SCALAR_KINDS) {
    if (actual[kind] !== expected[kind]) assert.fail(`${message}: ${kind} ${actual[kind]} != ${expected[kind]}`);
  }
}

function sumFor(map: Map<string, Quantities>, frameworkId: string): Quantities {
  let sum = map.get(frameworkId);
  if (sum === undefined) {
    sum = zeroQuantities();
    map.set(frameworkId, sum);
  }
  return sum;
}
