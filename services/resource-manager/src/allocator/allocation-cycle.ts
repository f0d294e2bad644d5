// One allocation cycle (Mesos: HierarchicalAllocatorProcess::allocate). Agents are visited in
// their fixed registration order; each agent with enough free resources is offered, whole, to
// the framework with the lowest weighted dominant share that has no live filter for it and wants
// offers of that size. That framework's share then grows by the offer and it is re-sorted.
//
// Cost: O(agents + offers · log frameworks + passed-over picks · log frameworks). There is no
// agents × frameworks term: a framework is looked at for an agent only while it is the lowest
// share, and each look is one Map lookup in its filters.

import { AgentEntry, AllocatorState, FrameworkEntry } from './allocator-state';
import { DrfSorter } from './drf-sorter';
import { openOffer } from './ledger';
import { isEmptyResources, meetsMinimum } from './resources';
import { Offer } from './types';

interface PickContext {
  agent: AgentEntry;
  nowMs: number;
}

function eligible(framework: FrameworkEntry, context: PickContext): boolean {
  const { agent, nowMs } = context;
  if (framework.minOfferSize !== undefined && !meetsMinimum(agent.available, framework.minOfferSize)) return false;
  return !framework.filters.isFiltered(agent.agentId, agent.available, nowMs);
}

export function runAllocationCycle(state: AllocatorState, sorter: DrfSorter, nowMs: number): Offer[] {
  const offers: Offer[] = [];
  sorter.begin(state);
  if (sorter.size === 0) return offers;
  const context: PickContext = { agent: undefined as unknown as AgentEntry, nowMs };
  for (const agent of state.agents.values()) {
    if (agent.state !== 'active') continue;
    // Mesos: --min_allocatable_resources; tiny leftovers are not worth an offer round trip.
    if (isEmptyResources(agent.available) || !meetsMinimum(agent.available, state.minAllocatable)) continue;
    context.agent = agent;
    const framework = sorter.popFirst(context, eligible);
    if (framework === undefined) continue;
    offers.push(openOffer(state, framework, agent, nowMs));
    sorter.reinsert(framework);
  }
  return offers;
}
