// One framework's offer filters, keyed by agent: O(1) lookup per (framework, agent) pick.
// Mesos: a DECLINE (or the unused part of an ACCEPT) with `refuse_seconds` installs a
// RefusedOfferFilter; while it lasts, the framework is not offered resources on that agent that
// the refused resources contain. A larger offer (something else freed up) passes the filter.

import { BinaryHeap } from './binary-heap';
import { Resources, containsResources } from './resources';

interface RefusedFilter {
  readonly resources: Resources;
  readonly expiresAtMs: number;
}

/** Most live filters kept per (framework, agent); beyond it the soonest to expire is dropped. */
export const FILTERS_PER_AGENT_MAX = 8;

const NONE: readonly RefusedFilter[] = Object.freeze([]);

export class OfferFilters {
  private readonly byAgent = new Map<string, readonly RefusedFilter[]>();
  private filterCount = 0;

  /** Number of agents with at least one filter not yet pruned. */
  get agentCount(): number {
    return this.byAgent.size;
  }

  /** Number of filters held, expired ones included until pruned. */
  get size(): number {
    return this.filterCount;
  }

  /** Refuse `resources` on `agentId` until `expiresAtMs` (exclusive). */
  refuse(agentId: string, resources: Resources, expiresAtMs: number, nowMs: number): void {
    const existing = this.byAgent.get(agentId) ?? [];
    const kept = existing.filter(
      // Expired filters go, and so does one refusing less for no longer than the new one.
      (f) => f.expiresAtMs > nowMs && !(f.expiresAtMs <= expiresAtMs && containsResources(resources, f.resources)),
    );
    kept.push({ resources, expiresAtMs });
    if (kept.length > FILTERS_PER_AGENT_MAX) {
      kept.sort((a, b) => b.expiresAtMs - a.expiresAtMs);
      kept.length = FILTERS_PER_AGENT_MAX;
    }
    this.replace(agentId, existing.length, kept);
  }

  /** True when a live filter on `agentId` refuses all of `offered`. */
  isFiltered(agentId: string, offered: Resources, nowMs: number): boolean {
    const filters = this.byAgent.get(agentId);
    if (filters === undefined) return false;
    for (const f of filters) {
      if (nowMs < f.expiresAtMs && containsResources(f.resources, offered)) return true;
    }
    return false;
  }

  /** Drops the expired filters on `agentId`. */
  prune(agentId: string, nowMs: number): void {
    const filters = this.byAgent.get(agentId);
    if (filters === undefined) return;
    let live = 0;
    for (const f of filters) if (nowMs < f.expiresAtMs) live++;
    if (live === filters.length) return;
    this.replace(agentId, filters.length, live === 0 ? NONE : filters.filter((f) => nowMs < f.expiresAtMs));
  }

  /** Revive: every filter goes. */
  clear(): void {
    this.byAgent.clear();
    this.filterCount = 0;
  }

  /** The agent left the cluster; a later agent with the same id starts unfiltered. */
  forgetAgent(agentId: string): void {
    this.replace(agentId, this.byAgent.get(agentId)?.length ?? 0, NONE);
  }

  forEach(visit: (agentId: string, expiresAtMs: number) => void): void {
    for (const [agentId, filters] of this.byAgent) for (const f of filters) visit(agentId, f.expiresAtMs);
  }

  private replace(agentId: string, oldCount: number, filters: readonly RefusedFilter[]): void {
    this.filterCount += filters.length - oldCount;
    if (filters.length === 0) this.byAgent.delete(agentId);
    else this.byAgent.set(agentId, filters);
  }
}

/**
 * Expiries are grouped per second: a lapsed filter is pruned at the first cycle at most a second
 * after it lapsed. Filtering itself compares exact times; only the memory is released late.
 */
const EXPIRY_BUCKET_MS = 1000;
/** Compaction is never considered below this many queued expiries. */
const EXPIRY_COMPACTION_MIN = 1024;

interface Bucket {
  readonly filters: OfferFilters[];
  readonly agentIds: string[];
}

/**
 * When each filter lapses, so expired filters are dropped without scanning. Mesos arms a timer
 * per filter; here the allocator calls `expire(nowMs)` with its own clock at every cycle. Without
 * it a (framework, agent) pair never looked at again would keep its filters for ever.
 * Entries sit in one-second buckets (a heap orders only the bucket numbers, so queueing and
 * expiring an entry are O(1) but for a new bucket). Filters replaced or cleared before they lapse
 * leave stale entries: harmless, since pruning is idempotent, and compacted away whenever they
 * outnumber the live filters.
 */
export class FilterExpiryQueue {
  private readonly buckets = new Map<number, Bucket>();
  private readonly bucketOrder = new BinaryHeap<number>((a, b) => a < b);
  private entries = 0;
  private compactAtSize = EXPIRY_COMPACTION_MIN;

  /** `allFilters` lists every live framework's filters (for compaction). */
  constructor(private readonly allFilters: () => Iterable<OfferFilters>) {}

  get size(): number {
    return this.entries;
  }

  schedule(filters: OfferFilters, agentId: string, expiresAtMs: number): void {
    this.add(filters, agentId, expiresAtMs);
    if (this.entries >= this.compactAtSize) this.compact();
  }

  expire(nowMs: number): void {
    while (true) {
      const bucket = this.bucketOrder.peek();
      // Every entry of bucket b lapses at or before b * EXPIRY_BUCKET_MS.
      if (bucket === undefined || bucket * EXPIRY_BUCKET_MS > nowMs) return;
      this.bucketOrder.pop();
      const entries = this.buckets.get(bucket) as Bucket;
      this.buckets.delete(bucket);
      this.entries -= entries.agentIds.length;
      for (let i = 0; i < entries.agentIds.length; i++) entries.filters[i].prune(entries.agentIds[i], nowMs);
    }
  }

  private add(filters: OfferFilters, agentId: string, expiresAtMs: number): void {
    const key = Math.ceil(expiresAtMs / EXPIRY_BUCKET_MS);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { filters: [], agentIds: [] };
      this.buckets.set(key, bucket);
      this.bucketOrder.push(key);
    }
    bucket.filters.push(filters);
    bucket.agentIds.push(agentId);
    this.entries++;
  }

  private compact(): void {
    let live = 0;
    for (const filters of this.allFilters()) live += filters.size;
    if (this.entries > 2 * live) {
      this.buckets.clear();
      this.bucketOrder.clear();
      this.entries = 0;
      for (const filters of this.allFilters()) {
        filters.forEach((agentId, expiresAtMs) => this.add(filters, agentId, expiresAtMs));
      }
    }
    this.compactAtSize = Math.max(EXPIRY_COMPACTION_MIN, 2 * this.entries);
  }
}
