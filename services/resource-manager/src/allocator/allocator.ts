// The allocator: Mesos's offer model with weighted Dominant Resource Fairness, as a pure core.
// It owns no timer and reads no clock: time comes in as `nowMs`, and every output (offers,
// rescinds) is a return value the master shell turns into scheduler events. Given the same calls
// in the same order it makes the same offers with the same ids.

import assert from 'node:assert/strict';
import { runAllocationCycle } from './allocation-cycle';
import { AgentEntry, AllocatorState, FrameworkEntry, addQuantities, dominantShare, snapshotQuantities, zeroQuantities } from './allocator-state';
import { DrfSorter } from './drf-sorter';
import { checkInvariants } from './invariants';
import { allocateFromAvailable, consumeOffer, release, rememberGoneOffer, rescindOffer } from './ledger';
import { DEFAULT_ALLOCATOR_LIMITS, DEFAULT_MIN_ALLOCATABLE } from './limits';
import { FilterExpiryQueue, OfferFilters } from './offer-filters';
import { portCount } from './port-ranges';
import {
  EMPTY_RESOURCES,
  Resources,
  ResourcesInput,
  addResources,
  checkResources,
  containsResources,
  formatResources,
  isEmptyResources,
  subtractResources,
} from './resources';
import {
  AgentSpec,
  AgentView,
  AllocatorErrorCode,
  AllocatorOptions,
  AllocatorStats,
  DeclineTarget,
  Failure,
  FrameworkSpec,
  FrameworkStats,
  Offer,
  Outcome,
  RemainderFilter,
} from './types';

const OK = Object.freeze({ ok: true as const });

function fail<C extends AllocatorErrorCode>(code: C, message: string): Failure<C> {
  return { ok: false, code, message };
}

export class Allocator {
  private readonly state: AllocatorState;
  private readonly sorter = new DrfSorter();
  private readonly filterExpiry = new FilterExpiryQueue(() => this.allFilters());
  private readonly debugChecks: boolean;

  constructor(options: AllocatorOptions = {}) {
    const limits = { ...DEFAULT_ALLOCATOR_LIMITS, ...options.limits };
    const minAllocatable = options.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE;
    for (const min of minAllocatable) {
      const checked = checkResources(min);
      assert(checked.ok, `minAllocatable: ${checked.ok ? '' : checked.message}`);
    }
    this.state = {
      agents: new Map(),
      frameworks: new Map(),
      offers: new Map(),
      clusterTotal: zeroQuantities(),
      goneOfferIds: new Set(),
      offerIdPrefix: options.offerIdPrefix ?? 'offer',
      nextOfferNumber: 1,
      minAllocatable,
      limits,
    };
    this.debugChecks = options.debugChecks ?? false;
  }

  // ---- agents ---------------------------------------------------------------------------------

  addAgent(spec: AgentSpec): Outcome<'INVALID_ARGUMENT' | 'INVALID_RESOURCES' | 'AGENT_EXISTS' | 'LIMIT_EXCEEDED'> {
    const { limits, agents, clusterTotal } = this.state;
    const badId = this.idProblem('agentId', spec.agentId);
    if (badId !== undefined) return fail('INVALID_ARGUMENT', badId);
    if (agents.has(spec.agentId)) return fail('AGENT_EXISTS', `agent ${spec.agentId} is already registered`);
    const attributes = { ...spec.attributes };
    const badAttributes = this.attributesProblem(attributes);
    if (badAttributes !== undefined) return fail('INVALID_ARGUMENT', `agent ${spec.agentId}: ${badAttributes}`);
    const total = checkResources(spec.total);
    if (!total.ok) return fail('INVALID_RESOURCES', `agent ${spec.agentId}: ${total.message}`);
    if (agents.size >= limits.agentsMax) return fail('LIMIT_EXCEEDED', `at most ${limits.agentsMax} agents`);
    // Keeps every sum the allocator forms an exact integer.
    const { memBytes, diskBytes } = total.resources;
    if (clusterTotal.memBytes + memBytes > Number.MAX_SAFE_INTEGER || clusterTotal.diskBytes + diskBytes > Number.MAX_SAFE_INTEGER) {
      return fail('LIMIT_EXCEEDED', 'cluster memory or disk would exceed 2^53 bytes');
    }
    agents.set(spec.agentId, {
      agentId: spec.agentId,
      total: total.resources,
      attributes: Object.freeze(attributes),
      state: spec.state ?? 'active',
      available: total.resources,
      offerIds: new Set(),
      allocated: new Map(),
    });
    addQuantities(clusterTotal, total.resources, 1);
    return this.done(OK);
  }

  /** The agent leaves: its offers are rescinded (returned), its allocations vanish with it. */
  removeAgent(agentId: string): Outcome<'UNKNOWN_AGENT', { rescinded: Offer[] }> {
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) return fail('UNKNOWN_AGENT', `no agent ${agentId}`);
    const rescinded = this.rescindOn(agent);
    for (const offer of rescinded) rememberGoneOffer(this.state, offer.offerId);
    for (const [frameworkId, resources] of [...agent.allocated]) release(agent, this.framework(frameworkId), resources);
    for (const framework of this.state.frameworks.values()) framework.filters.forgetAgent(agentId);
    addQuantities(this.state.clusterTotal, agent.total, -1);
    this.state.agents.delete(agentId);
    return this.done({ ok: true, rescinded });
  }

  /** Draining or unreachable: no new offers. Outstanding offers stay until rescindOffersOnAgent. */
  deactivateAgent(agentId: string, state: 'draining' | 'unreachable' = 'unreachable'): Outcome<'UNKNOWN_AGENT'> {
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) return fail('UNKNOWN_AGENT', `no agent ${agentId}`);
    agent.state = state;
    return this.done(OK);
  }

  activateAgent(agentId: string): Outcome<'UNKNOWN_AGENT'> {
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) return fail('UNKNOWN_AGENT', `no agent ${agentId}`);
    agent.state = 'active';
    return this.done(OK);
  }

  /**
   * Sets what each framework uses on the agent to exactly `used` (the agent's report after it
   * re-registers, or after tasks ended); resources no longer used return to the pool. Offers on
   * the agent are rescinded only if the new usage no longer fits beside them.
   */
  updateAgentUsed(
    agentId: string,
    used: ReadonlyMap<string, ResourcesInput>,
  ): Outcome<'UNKNOWN_AGENT' | 'UNKNOWN_FRAMEWORK' | 'INVALID_RESOURCES' | 'INSUFFICIENT_RESOURCES', { rescinded: Offer[] }> {
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) return fail('UNKNOWN_AGENT', `no agent ${agentId}`);
    const checked = this.checkUsage(agent, used);
    if (!checked.ok) return checked;
    for (const [frameworkId, resources] of [...agent.allocated]) release(agent, this.framework(frameworkId), resources);
    const rescinded = containsResources(agent.available, checked.sum) ? [] : this.rescindOn(agent);
    for (const [framework, resources] of checked.usage) allocateFromAvailable(agent, framework, resources);
    return this.done({ ok: true, rescinded });
  }

  private checkUsage(
    agent: AgentEntry,
    used: ReadonlyMap<string, ResourcesInput>,
  ): Outcome<'UNKNOWN_FRAMEWORK' | 'INVALID_RESOURCES' | 'INSUFFICIENT_RESOURCES', { usage: [FrameworkEntry, Resources][]; sum: Resources }> {
    const usage: [FrameworkEntry, Resources][] = [];
    let sum = EMPTY_RESOURCES;
    let ports = 0;
    for (const [frameworkId, input] of used) {
      const framework = this.state.frameworks.get(frameworkId);
      if (framework === undefined) return fail('UNKNOWN_FRAMEWORK', `no framework ${frameworkId}`);
      const resources = checkResources(input);
      if (!resources.ok) return fail('INVALID_RESOURCES', `${frameworkId}: ${resources.message}`);
      usage.push([framework, resources.resources]);
      sum = addResources(sum, resources.resources);
      ports += portCount(resources.resources.ports);
    }
    if (ports !== portCount(sum.ports)) return fail('INVALID_RESOURCES', 'two frameworks use the same port');
    if (!containsResources(agent.total, sum)) {
      return fail('INSUFFICIENT_RESOURCES', `agent ${agent.agentId}: usage ${formatResources(sum)} exceeds total ${formatResources(agent.total)}`);
    }
    return { ok: true, usage, sum };
  }

  // ---- frameworks -----------------------------------------------------------------------------

  addFramework(spec: FrameworkSpec): Outcome<'INVALID_ARGUMENT' | 'FRAMEWORK_EXISTS' | 'LIMIT_EXCEEDED'> {
    const { limits, frameworks } = this.state;
    const badId = this.idProblem('frameworkId', spec.frameworkId) ?? this.idProblem('role', spec.role);
    if (badId !== undefined) return fail('INVALID_ARGUMENT', badId);
    const weight = spec.weight ?? 1;
    if (!Number.isFinite(weight) || weight <= 0 || weight > limits.weightMax) {
      return fail('INVALID_ARGUMENT', `weight must be in (0, ${limits.weightMax}], got ${weight}`);
    }
    for (const min of spec.minOfferSize ?? []) {
      const checked = checkResources(min);
      if (!checked.ok) return fail('INVALID_ARGUMENT', `minOfferSize: ${checked.message}`);
    }
    if (frameworks.has(spec.frameworkId)) return fail('FRAMEWORK_EXISTS', `framework ${spec.frameworkId} is already registered`);
    if (frameworks.size >= limits.frameworksMax) return fail('LIMIT_EXCEEDED', `at most ${limits.frameworksMax} frameworks`);
    frameworks.set(spec.frameworkId, {
      frameworkId: spec.frameworkId,
      role: spec.role,
      weight,
      minOfferSize: spec.minOfferSize === undefined ? undefined : Object.freeze([...spec.minOfferSize]),
      active: spec.active ?? true,
      suppressed: false,
      allocated: zeroQuantities(),
      offered: zeroQuantities(),
      offerIds: new Set(),
      agentsWithAllocation: new Set(),
      filters: new OfferFilters(),
      share: 0,
    });
    return this.done(OK);
  }

  /** Teardown: its offers are rescinded (returned) and everything it holds goes back to the pool. */
  removeFramework(frameworkId: string): Outcome<'UNKNOWN_FRAMEWORK', { rescinded: Offer[] }> {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return fail('UNKNOWN_FRAMEWORK', `no framework ${frameworkId}`);
    const rescinded = this.rescindOf(framework);
    for (const agentId of [...framework.agentsWithAllocation]) {
      const agent = this.state.agents.get(agentId);
      if (agent === undefined) assert.fail(`framework ${frameworkId} holds resources on missing agent ${agentId}`);
      release(agent, framework, agent.allocated.get(frameworkId) ?? EMPTY_RESOURCES);
    }
    this.state.frameworks.delete(frameworkId);
    return this.done({ ok: true, rescinded });
  }

  activateFramework(frameworkId: string): Outcome<'UNKNOWN_FRAMEWORK'> {
    return this.withFramework(frameworkId, (f) => {
      f.active = true;
    });
  }

  /**
   * Disconnected: no offers until it reconnects, and outstanding ones are rescinded (returned)
   * because nobody can answer them. Its filters are kept for when it comes back (as in Mesos).
   */
  deactivateFramework(frameworkId: string): Outcome<'UNKNOWN_FRAMEWORK', { rescinded: Offer[] }> {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return fail('UNKNOWN_FRAMEWORK', `no framework ${frameworkId}`);
    framework.active = false;
    return this.done({ ok: true, rescinded: this.rescindOf(framework) });
  }

  /** Mesos SUPPRESS: no new offers; outstanding offers stay valid. */
  suppress(frameworkId: string): Outcome<'UNKNOWN_FRAMEWORK'> {
    return this.withFramework(frameworkId, (f) => {
      f.suppressed = true;
    });
  }

  /** Mesos REVIVE: offers resume and every refuse filter of the framework is dropped. */
  revive(frameworkId: string): Outcome<'UNKNOWN_FRAMEWORK'> {
    return this.withFramework(frameworkId, (f) => {
      f.suppressed = false;
      f.filters.clear();
    });
  }

  // ---- offers ---------------------------------------------------------------------------------

  /** One allocation cycle: the offers to send, in the order they were made. */
  allocate(nowMs: number): Offer[] {
    assert(Number.isFinite(nowMs), `nowMs must be a finite number, got ${nowMs}`);
    this.filterExpiry.expire(nowMs);
    return this.done(runAllocationCycle(this.state, this.sorter, nowMs));
  }

  /**
   * Mesos ACCEPT: `used` (within the offer) becomes allocated to the framework until
   * releaseTaskResources; the remainder returns to the pool, refused for `remainderFilter` if given.
   * Once the offer is known and owned, it is spent whatever the outcome (as in Mesos, an offer is
   * answered once). An offer on an agent that is no longer active answers AGENT_GONE.
   */
  accept(
    offerId: string,
    frameworkId: string,
    used: ResourcesInput,
    remainderFilter?: RemainderFilter,
  ): Outcome<'UNKNOWN_OFFER' | 'OFFER_NOT_OWNED' | 'INSUFFICIENT_RESOURCES' | 'AGENT_GONE' | 'INVALID_RESOURCES' | 'INVALID_ARGUMENT'> {
    const found = this.ownedOffer(offerId, frameworkId);
    if (!found.ok) return found;
    const { offer, agent } = found;
    const checked = this.checkAccept(agent, offer, used, remainderFilter);
    if (!checked.ok) {
      rescindOffer(this.state, offer);
      return this.done(checked);
    }
    consumeOffer(this.state, offer, checked.used);
    if (checked.refuseMs > 0 && remainderFilter !== undefined) {
      const remainder = subtractResources(offer.resources, checked.used);
      const framework = this.framework(frameworkId);
      if (!isEmptyResources(remainder)) this.refuse(framework, agent.agentId, remainder, remainderFilter.nowMs, checked.refuseMs);
    }
    return this.done(OK);
  }

  private checkAccept(
    agent: AgentEntry,
    offer: Offer,
    used: ResourcesInput,
    remainderFilter: RemainderFilter | undefined,
  ): Outcome<'INSUFFICIENT_RESOURCES' | 'AGENT_GONE' | 'INVALID_RESOURCES' | 'INVALID_ARGUMENT', { used: Resources; refuseMs: number }> {
    if (agent.state !== 'active') return fail('AGENT_GONE', `agent ${agent.agentId} is ${agent.state}`);
    const checked = checkResources(used);
    if (!checked.ok) return fail('INVALID_RESOURCES', checked.message);
    const refuseMs = remainderFilter === undefined ? 0 : this.refuseMs(remainderFilter.refuseSeconds);
    if (refuseMs < 0 || (remainderFilter !== undefined && !Number.isFinite(remainderFilter.nowMs))) {
      return fail('INVALID_ARGUMENT', 'remainder filter needs a finite nowMs and non-negative refuseSeconds');
    }
    if (!containsResources(offer.resources, checked.resources)) {
      return fail('INSUFFICIENT_RESOURCES', `using ${formatResources(checked.resources)} of offer ${formatResources(offer.resources)}`);
    }
    return { ok: true, used: checked.resources, refuseMs };
  }

  /**
   * Mesos DECLINE: the offer's resources return to the pool, and for `refuseSeconds` the framework
   * is not offered resources on that agent that the declined ones contain (RefusedOfferFilter).
   * With `{ agentId, resources }` only the filter is installed. refuseSeconds 0: no filter.
   */
  decline(
    frameworkId: string,
    target: DeclineTarget,
    refuseSeconds: number,
    nowMs: number,
  ): Outcome<'UNKNOWN_FRAMEWORK' | 'UNKNOWN_OFFER' | 'OFFER_NOT_OWNED' | 'AGENT_GONE' | 'UNKNOWN_AGENT' | 'INVALID_ARGUMENT' | 'INVALID_RESOURCES'> {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return fail('UNKNOWN_FRAMEWORK', `no framework ${frameworkId}`);
    const refuseMs = this.refuseMs(refuseSeconds);
    if (refuseMs < 0 || !Number.isFinite(nowMs)) {
      return fail('INVALID_ARGUMENT', `refuseSeconds must be a non-negative number and nowMs finite, got ${refuseSeconds} and ${nowMs}`);
    }
    const refused = this.declineTarget(frameworkId, target);
    if (!refused.ok) return refused;
    if (refused.offer !== undefined) rescindOffer(this.state, refused.offer);
    if (refuseMs > 0) this.refuse(framework, refused.agentId, refused.resources, nowMs, refuseMs);
    return this.done(OK);
  }

  private declineTarget(
    frameworkId: string,
    target: DeclineTarget,
  ): Outcome<'UNKNOWN_OFFER' | 'OFFER_NOT_OWNED' | 'AGENT_GONE' | 'UNKNOWN_AGENT' | 'INVALID_RESOURCES', { agentId: string; resources: Resources; offer?: Offer }> {
    if ('offerId' in target) {
      const found = this.ownedOffer(target.offerId, frameworkId);
      return found.ok ? { ok: true, agentId: found.offer.agentId, resources: found.offer.resources, offer: found.offer } : found;
    }
    if (!this.state.agents.has(target.agentId)) return fail('UNKNOWN_AGENT', `no agent ${target.agentId}`);
    const resources = checkResources(target.resources);
    if (!resources.ok) return fail('INVALID_RESOURCES', resources.message);
    return { ok: true, agentId: target.agentId, resources: resources.resources };
  }

  /** A task ended: what it used returns to the agent's available pool. */
  releaseTaskResources(
    frameworkId: string,
    agentId: string,
    resources: ResourcesInput,
  ): Outcome<'UNKNOWN_FRAMEWORK' | 'UNKNOWN_AGENT' | 'INVALID_RESOURCES' | 'NOT_ALLOCATED'> {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return fail('UNKNOWN_FRAMEWORK', `no framework ${frameworkId}`);
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) return fail('UNKNOWN_AGENT', `no agent ${agentId}`);
    const checked = checkResources(resources);
    if (!checked.ok) return fail('INVALID_RESOURCES', checked.message);
    const held = agent.allocated.get(frameworkId) ?? EMPTY_RESOURCES;
    if (!containsResources(held, checked.resources)) {
      return fail('NOT_ALLOCATED', `${frameworkId} holds ${formatResources(held) || 'nothing'} on ${agentId}, not ${formatResources(checked.resources)}`);
    }
    release(agent, framework, checked.resources);
    return this.done(OK);
  }

  /** Mesos --offer_timeout: offers at least `offerTimeoutMs` old are rescinded and returned. */
  expireOffers(nowMs: number, offerTimeoutMs: number): Offer[] {
    assert(Number.isFinite(nowMs) && offerTimeoutMs >= 0, 'expireOffers: bad time');
    const expired: Offer[] = [];
    for (const offer of this.state.offers.values()) {
      if (nowMs - offer.createdAtMs >= offerTimeoutMs) expired.push(offer);
    }
    for (const offer of expired) rescindOffer(this.state, offer);
    return this.done(expired);
  }

  /** Rescinds one offer (e.g. the master needs its resources back); undefined if not outstanding. */
  rescindOffer(offerId: string): Offer | undefined {
    const offer = this.state.offers.get(offerId);
    if (offer === undefined) return undefined;
    rescindOffer(this.state, offer);
    return this.done(offer);
  }

  /** Rescinds every outstanding offer on the agent (draining, unreachable); [] if unknown. */
  rescindOffersOnAgent(agentId: string): Offer[] {
    const agent = this.state.agents.get(agentId);
    return this.done(agent === undefined ? [] : this.rescindOn(agent));
  }

  // ---- reading --------------------------------------------------------------------------------

  offer(offerId: string): Offer | undefined {
    return this.state.offers.get(offerId);
  }

  agent(agentId: string): AgentView | undefined {
    const agent = this.state.agents.get(agentId);
    if (agent === undefined) return undefined;
    let offered = EMPTY_RESOURCES;
    for (const offerId of agent.offerIds) offered = addResources(offered, this.state.offers.get(offerId)?.resources ?? EMPTY_RESOURCES);
    const { state, attributes, total, available } = agent;
    return { agentId, state, attributes, total, available, offered, allocated: new Map(agent.allocated) };
  }

  stats(): AllocatorStats {
    const { agents, frameworks, offers, clusterTotal } = this.state;
    let agentsActive = 0;
    for (const agent of agents.values()) if (agent.state === 'active') agentsActive++;
    const frameworkStats: FrameworkStats[] = [...frameworks.values()]
      .sort((a, b) => (a.frameworkId < b.frameworkId ? -1 : 1))
      .map((f) => {
        const share = dominantShare(f.allocated, f.offered, clusterTotal);
        return {
          frameworkId: f.frameworkId,
          role: f.role,
          weight: f.weight,
          active: f.active,
          suppressed: f.suppressed,
          allocated: snapshotQuantities(f.allocated),
          offered: snapshotQuantities(f.offered),
          offersOutstanding: f.offerIds.size,
          dominantShare: share,
          weightedShare: share / f.weight,
          filteredAgents: f.filters.agentCount,
        };
      });
    return { agents: agents.size, agentsActive, frameworks: frameworkStats, offersOutstanding: offers.size, clusterTotal: snapshotQuantities(clusterTotal) };
  }

  /** Throws an AssertionError naming the first broken invariant. */
  checkInvariants(): void {
    checkInvariants(this.state);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private done<T>(result: T): T {
    if (this.debugChecks) checkInvariants(this.state);
    return result;
  }

  private framework(frameworkId: string): FrameworkEntry {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) assert.fail(`unknown framework ${frameworkId} in the books`);
    return framework;
  }

  private withFramework(frameworkId: string, change: (framework: FrameworkEntry) => void): Outcome<'UNKNOWN_FRAMEWORK'> {
    const framework = this.state.frameworks.get(frameworkId);
    if (framework === undefined) return fail('UNKNOWN_FRAMEWORK', `no framework ${frameworkId}`);
    change(framework);
    return this.done(OK);
  }

  private ownedOffer(
    offerId: string,
    frameworkId: string,
  ): Outcome<'UNKNOWN_OFFER' | 'OFFER_NOT_OWNED' | 'AGENT_GONE', { offer: Offer; agent: AgentEntry }> {
    const offer = this.state.offers.get(offerId);
    if (offer === undefined) {
      if (this.state.goneOfferIds.has(offerId)) return fail('AGENT_GONE', `offer ${offerId} was rescinded: its agent left`);
      return fail('UNKNOWN_OFFER', `no outstanding offer ${offerId}`);
    }
    if (offer.frameworkId !== frameworkId) return fail('OFFER_NOT_OWNED', `offer ${offerId} was made to another framework`);
    const agent = this.state.agents.get(offer.agentId);
    if (agent === undefined) assert.fail(`offer ${offerId} outlived agent ${offer.agentId}`);
    return { ok: true, offer, agent };
  }

  private rescindOn(agent: AgentEntry): Offer[] {
    return this.rescindAll(agent.offerIds);
  }

  private rescindOf(framework: FrameworkEntry): Offer[] {
    return this.rescindAll(framework.offerIds);
  }

  private rescindAll(offerIds: ReadonlySet<string>): Offer[] {
    const offers = [...offerIds].map((id) => this.state.offers.get(id) as Offer);
    for (const offer of offers) rescindOffer(this.state, offer);
    return offers;
  }

  private refuse(framework: FrameworkEntry, agentId: string, resources: Resources, nowMs: number, refuseMs: number): void {
    framework.filters.refuse(agentId, resources, nowMs + refuseMs, nowMs);
    this.filterExpiry.schedule(framework.filters, agentId, nowMs + refuseMs);
  }

  private *allFilters(): Iterable<OfferFilters> {
    for (const framework of this.state.frameworks.values()) yield framework.filters;
  }

  /** Refuse duration in whole ms, capped at the limit; -1 when the input is not a duration. */
  private refuseMs(refuseSeconds: number): number {
    if (!Number.isFinite(refuseSeconds) || refuseSeconds < 0) return -1;
    return Math.round(Math.min(refuseSeconds, this.state.limits.refuseSecondsMax) * 1000);
  }

  private attributesProblem(attributes: Record<string, unknown>): string | undefined {
    const { attributesPerAgentMax, idLengthMax } = this.state.limits;
    const entries = Object.entries(attributes);
    if (entries.length > attributesPerAgentMax) return `at most ${attributesPerAgentMax} attributes`;
    for (const [name, value] of entries) {
      if (typeof value !== 'string') return `attribute ${name} must be a string`;
      if (name.length > idLengthMax || value.length > idLengthMax) return `attribute ${name.slice(0, 32)} longer than ${idLengthMax} characters`;
    }
    return undefined;
  }

  private idProblem(name: string, id: unknown): string | undefined {
    if (typeof id !== 'string' || id.length === 0) return `${name} must be a non-empty string`;
    if (id.length > this.state.limits.idLengthMax) return `${name} longer than ${this.state.limits.idLengthMax} characters`;
    return undefined;
  }
}
