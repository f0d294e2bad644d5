// The allocator's state: plain records the ledger moves resources between. Every agent's
// resources are in exactly one of three places: available, an outstanding offer, or allocated
// to a framework; their sum is the agent's total (checked by invariants.ts).

import { AllocatorLimits } from './limits';
import { OfferFilters } from './offer-filters';
import { Resources, ScalarQuantities } from './resources';
import { AgentAttributes, AgentState, Offer } from './types';

/** Mutable scalar sums, kept incrementally so a share costs four divisions. */
export interface Quantities {
  cpusMilli: number;
  memBytes: number;
  diskBytes: number;
  gpus: number;
}

export interface AgentEntry {
  readonly agentId: string;
  readonly total: Resources;
  readonly attributes: AgentAttributes;
  state: AgentState;
  /** Neither offered nor allocated. */
  available: Resources;
  readonly offerIds: Set<string>;
  /** Allocated resources by framework id. */
  readonly allocated: Map<string, Resources>;
}

export interface FrameworkEntry {
  readonly frameworkId: string;
  readonly role: string;
  readonly weight: number;
  readonly minOfferSize: readonly Partial<ScalarQuantities>[] | undefined;
  active: boolean;
  suppressed: boolean;
  readonly allocated: Quantities;
  readonly offered: Quantities;
  readonly offerIds: Set<string>;
  readonly agentsWithAllocation: Set<string>;
  readonly filters: OfferFilters;
  /** Weighted dominant share as of the last sorter refresh; meaningful only inside a cycle. */
  share: number;
}

export interface AllocatorState {
  /** Insertion order is the fixed agent order of every allocation cycle. */
  readonly agents: Map<string, AgentEntry>;
  readonly frameworks: Map<string, FrameworkEntry>;
  readonly offers: Map<string, Offer>;
  /** Sum of every registered agent's total, active or not (the DRF denominator). */
  readonly clusterTotal: Quantities;
  /** Ids of offers rescinded because their agent was removed; insertion order is age. */
  readonly goneOfferIds: Set<string>;
  readonly offerIdPrefix: string;
  nextOfferNumber: number;
  readonly minAllocatable: readonly Partial<ScalarQuantities>[];
  readonly limits: AllocatorLimits;
}

export function zeroQuantities(): Quantities {
  return { cpusMilli: 0, memBytes: 0, diskBytes: 0, gpus: 0 };
}

/** into += sign * r, on the scalar kinds only. */
export function addQuantities(into: Quantities, r: ScalarQuantities, sign: 1 | -1): void {
  into.cpusMilli += sign * r.cpusMilli;
  into.memBytes += sign * r.memBytes;
  into.diskBytes += sign * r.diskBytes;
  into.gpus += sign * r.gpus;
}

export function snapshotQuantities(q: ScalarQuantities): ScalarQuantities {
  return Object.freeze({ cpusMilli: q.cpusMilli, memBytes: q.memBytes, diskBytes: q.diskBytes, gpus: q.gpus });
}

/** DRF (Ghodsi et al. 2011, §4): a user's dominant share is its largest share of any resource. */
export function dominantShare(used: ScalarQuantities, also: ScalarQuantities, total: ScalarQuantities): number {
  let share = 0;
  if (total.cpusMilli > 0) share = Math.max(share, (used.cpusMilli + also.cpusMilli) / total.cpusMilli);
  if (total.memBytes > 0) share = Math.max(share, (used.memBytes + also.memBytes) / total.memBytes);
  if (total.diskBytes > 0) share = Math.max(share, (used.diskBytes + also.diskBytes) / total.diskBytes);
  if (total.gpus > 0) share = Math.max(share, (used.gpus + also.gpus) / total.gpus);
  return share;
}

/** Outstanding offers count as allocated (Mesos: offered resources are charged to the framework). */
export function weightedShare(framework: FrameworkEntry, total: ScalarQuantities): number {
  return dominantShare(framework.allocated, framework.offered, total) / framework.weight;
}
