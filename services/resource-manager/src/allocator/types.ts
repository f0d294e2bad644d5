// The allocator's public vocabulary: what callers pass in and get back. Outcomes a framework or
// operator can cause are values (`{ ok: false, code }`); broken bookkeeping is an assertion.

import { AllocatorLimits } from './limits';
import { Resources, ResourcesInput, ScalarQuantities } from './resources';

/** Only `active` agents receive offers (Mesos: deactivated agents are skipped by allocation). */
export type AgentState = 'active' | 'draining' | 'unreachable';

export type AgentAttributes = Readonly<Record<string, string>>;

export interface AgentSpec {
  readonly agentId: string;
  readonly total: ResourcesInput;
  readonly attributes?: AgentAttributes;
  /** Default 'active'. */
  readonly state?: AgentState;
}

export interface FrameworkSpec {
  readonly frameworkId: string;
  readonly role: string;
  /** Divides the dominant share, so weight 2 is entitled to twice the share of weight 1. Default 1. */
  readonly weight?: number;
  /**
   * Offers this framework wants at the least: an agent's free resources are offered to it only
   * when they hold every quantity of one entry (Mesos: min_allocatable_resources per role).
   * Applies on top of the allocator-wide minimum.
   */
  readonly minOfferSize?: readonly Partial<ScalarQuantities>[];
  /** Default true. A framework recovered after master failover may start inactive. */
  readonly active?: boolean;
}

export interface Offer {
  /** `${offerIdPrefix}-${counter}`: deterministic for a given sequence of calls. */
  readonly offerId: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly resources: Resources;
  readonly createdAtMs: number;
}

export type AllocatorErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_RESOURCES'
  | 'LIMIT_EXCEEDED'
  | 'AGENT_EXISTS'
  | 'UNKNOWN_AGENT'
  | 'FRAMEWORK_EXISTS'
  | 'UNKNOWN_FRAMEWORK'
  | 'UNKNOWN_OFFER'
  | 'OFFER_NOT_OWNED'
  | 'INSUFFICIENT_RESOURCES'
  | 'AGENT_GONE'
  | 'NOT_ALLOCATED';

export type Failure<C extends AllocatorErrorCode> = { readonly ok: false; readonly code: C; readonly message: string };

/** `{ ok: true }` plus `T`, or a failure with one of the codes `C`. */
export type Outcome<C extends AllocatorErrorCode, T extends object = object> = ({ readonly ok: true } & T) | Failure<C>;

/** What a decline refers to: an outstanding offer, or resources on an agent without an offer. */
export type DeclineTarget = { readonly offerId: string } | { readonly agentId: string; readonly resources: ResourcesInput };

/** A filter for the unused part of an accepted offer (Mesos: ACCEPT carries `filters`). */
export interface RemainderFilter {
  readonly refuseSeconds: number;
  readonly nowMs: number;
}

export interface FrameworkStats {
  readonly frameworkId: string;
  readonly role: string;
  readonly weight: number;
  readonly active: boolean;
  readonly suppressed: boolean;
  /** Resources of launched tasks, summed over agents (ports are per agent, so not summed). */
  readonly allocated: ScalarQuantities;
  /** Resources in outstanding offers. */
  readonly offered: ScalarQuantities;
  readonly offersOutstanding: number;
  /** max over kinds of (allocated + offered) / cluster total. */
  readonly dominantShare: number;
  /** dominantShare / weight: what DRF orders by. */
  readonly weightedShare: number;
  /** Agents with a refuse filter for this framework (expired ones are pruned lazily). */
  readonly filteredAgents: number;
}

export interface AllocatorStats {
  readonly agents: number;
  readonly agentsActive: number;
  readonly frameworks: readonly FrameworkStats[];
  readonly offersOutstanding: number;
  readonly clusterTotal: ScalarQuantities;
}

export interface AgentView {
  readonly agentId: string;
  readonly state: AgentState;
  readonly attributes: AgentAttributes;
  readonly total: Resources;
  /** Neither offered nor allocated. */
  readonly available: Resources;
  /** Sum of outstanding offers on this agent. */
  readonly offered: Resources;
  readonly allocated: ReadonlyMap<string, Resources>;
}

export interface AllocatorOptions {
  /** Offer ids are `${offerIdPrefix}-${n}`; give each leader term its own prefix. Default 'offer'. */
  readonly offerIdPrefix?: string;
  /** Allocator-wide minimum offer (alternatives). Default: 10 milli-cpus or 32 MiB of memory. */
  readonly minAllocatable?: readonly Partial<ScalarQuantities>[];
  readonly limits?: Partial<AllocatorLimits>;
  /** Check every invariant after every mutating call (O(cluster) each: tests, not production). */
  readonly debugChecks?: boolean;
}
