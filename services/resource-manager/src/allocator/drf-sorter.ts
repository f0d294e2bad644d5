// Weighted Dominant Resource Fairness ordering of frameworks (Ghodsi et al. 2011; Mesos's
// DRFSorter). Shares are computed once per cycle for every offerable framework (O(frameworks)),
// then only the framework that just received an offer is re-keyed (O(log frameworks)).

import { AllocatorState, FrameworkEntry, weightedShare } from './allocator-state';
import { BinaryHeap } from './binary-heap';
import { ScalarQuantities } from './resources';

/** Lowest weighted share first; ties go to the smaller framework id, so cycles are deterministic. */
function before(a: FrameworkEntry, b: FrameworkEntry): boolean {
  if (a.share !== b.share) return a.share < b.share;
  return a.frameworkId < b.frameworkId;
}

export class DrfSorter {
  private readonly heap = new BinaryHeap<FrameworkEntry>(before);
  /** Frameworks popped but not eligible for the current agent; reused across picks. */
  private readonly skipped: FrameworkEntry[] = [];
  private total: ScalarQuantities = { cpusMilli: 0, memBytes: 0, diskBytes: 0, gpus: 0 };

  get size(): number {
    return this.heap.size;
  }

  /** Loads every active, unsuppressed framework with its current share. */
  begin(state: AllocatorState): void {
    this.heap.clear();
    this.total = state.clusterTotal;
    for (const framework of state.frameworks.values()) {
      if (!framework.active || framework.suppressed) continue;
      framework.share = weightedShare(framework, this.total);
      this.heap.push(framework);
    }
  }

  /**
   * Removes and returns the lowest-share framework for which `eligible` holds, or undefined.
   * Frameworks passed over stay in the sorter. Cost: O((k + 1) log n) for k passed over, and k is
   * bounded by the frameworks filtering this agent or wanting bigger offers.
   */
  popFirst<C>(context: C, eligible: (framework: FrameworkEntry, context: C) => boolean): FrameworkEntry | undefined {
    let found: FrameworkEntry | undefined;
    while (this.heap.size > 0) {
      const candidate = this.heap.pop() as FrameworkEntry;
      if (eligible(candidate, context)) {
        found = candidate;
        break;
      }
      this.skipped.push(candidate);
    }
    for (const framework of this.skipped) this.heap.push(framework);
    this.skipped.length = 0;
    return found;
  }

  /** Puts a popped framework back under its new share (it was just charged an offer). */
  reinsert(framework: FrameworkEntry): void {
    framework.share = weightedShare(framework, this.total);
    this.heap.push(framework);
  }
}
