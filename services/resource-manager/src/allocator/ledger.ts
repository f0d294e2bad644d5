// The only code that moves resources between an agent's three pools (available, offered,
// allocated) and keeps the per-framework sums in step. Each function preserves the invariant
// available + offered + allocated = total on its own, or asserts.

import assert from 'node:assert/strict';
import { AgentEntry, AllocatorState, FrameworkEntry, addQuantities } from './allocator-state';
import { EMPTY_RESOURCES, Resources, addResources, containsResources, isEmptyResources, subtractResources } from './resources';
import { Offer } from './types';

/** Offers all of the agent's available resources to `framework` (offers are per agent). */
export function openOffer(state: AllocatorState, framework: FrameworkEntry, agent: AgentEntry, nowMs: number): Offer {
  assert(!isEmptyResources(agent.available), 'offering nothing');
  // Not frozen: this is the hottest allocation of a cycle, and the type is readonly already.
  const offer: Offer = {
    offerId: `${state.offerIdPrefix}-${state.nextOfferNumber++}`,
    frameworkId: framework.frameworkId,
    agentId: agent.agentId,
    resources: agent.available,
    createdAtMs: nowMs,
  };
  agent.available = EMPTY_RESOURCES;
  state.offers.set(offer.offerId, offer);
  agent.offerIds.add(offer.offerId);
  framework.offerIds.add(offer.offerId);
  addQuantities(framework.offered, offer.resources, 1);
  return offer;
}

/** Removes the offer from the books; its resources are in no pool until the caller places them. */
function closeOffer(state: AllocatorState, offer: Offer): { agent: AgentEntry; framework: FrameworkEntry } {
  const agent = state.agents.get(offer.agentId);
  const framework = state.frameworks.get(offer.frameworkId);
  if (agent === undefined || framework === undefined) assert.fail(`offer ${offer.offerId} outlived its agent or framework`);
  if (!state.offers.delete(offer.offerId)) assert.fail(`offer ${offer.offerId} closed twice`);
  agent.offerIds.delete(offer.offerId);
  framework.offerIds.delete(offer.offerId);
  addQuantities(framework.offered, offer.resources, -1);
  return { agent, framework };
}

/** The offer's resources return to the agent's available pool. */
export function rescindOffer(state: AllocatorState, offer: Offer): void {
  const { agent } = closeOffer(state, offer);
  agent.available = addResources(agent.available, offer.resources);
}

/** `used` of the offer becomes allocated to its framework; the rest returns to the pool. */
export function consumeOffer(state: AllocatorState, offer: Offer, used: Resources): void {
  assert(containsResources(offer.resources, used), 'using more than offered');
  const { agent, framework } = closeOffer(state, offer);
  allocate(agent, framework, used);
  agent.available = addResources(agent.available, subtractResources(offer.resources, used));
}

/** Moves `resources` from the agent's available pool to `framework`. */
export function allocateFromAvailable(agent: AgentEntry, framework: FrameworkEntry, resources: Resources): void {
  agent.available = subtractResources(agent.available, resources);
  allocate(agent, framework, resources);
}

/** Moves `resources` allocated to `framework` back to the agent's available pool. */
export function release(agent: AgentEntry, framework: FrameworkEntry, resources: Resources): void {
  const held = agent.allocated.get(framework.frameworkId) ?? EMPTY_RESOURCES;
  const left = subtractResources(held, resources);
  if (isEmptyResources(left)) {
    agent.allocated.delete(framework.frameworkId);
    framework.agentsWithAllocation.delete(agent.agentId);
  } else {
    agent.allocated.set(framework.frameworkId, left);
  }
  addQuantities(framework.allocated, resources, -1);
  agent.available = addResources(agent.available, resources);
}

function allocate(agent: AgentEntry, framework: FrameworkEntry, resources: Resources): void {
  if (isEmptyResources(resources)) return;
  const held = agent.allocated.get(framework.frameworkId) ?? EMPTY_RESOURCES;
  agent.allocated.set(framework.frameworkId, addResources(held, resources));
  framework.agentsWithAllocation.add(agent.agentId);
  addQuantities(framework.allocated, resources, 1);
}

/** Remembers a rescinded offer id so a late ACCEPT can be told AGENT_GONE (bounded, oldest out). */
export function rememberGoneOffer(state: AllocatorState, offerId: string): void {
  state.goneOfferIds.add(offerId);
  if (state.goneOfferIds.size > state.limits.goneOffersRememberedMax) {
    const oldest = state.goneOfferIds.values().next();
    if (oldest.done !== true) state.goneOfferIds.delete(oldest.value);
  }
}
