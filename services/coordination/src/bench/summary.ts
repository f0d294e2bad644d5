// The bench's summary of several rounds (pure). On a shared machine the speed of the whole host
// drifts by tens of percent from one minute to the next, so a system measured in a fast minute
// and the other in a slow one compare the minutes, not the systems. The rounds take turns on
// which system goes first, and each round's two points, measured seconds apart, give a ratio of
// their own: the median of those ratios follows the systems, not the drift.
import { median } from './failover';

export interface Row {
  system: string;
  op: string;
  outstanding: number;
  /** The round the point was measured in (0-based). */
  round: number;
  rate: number;
  p50: number;
  p99: number;
}

/** The order the systems run in for a round: as given in even rounds, reversed in odd ones. */
export function roundOrder<T>(systems: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...systems] : [...systems].reverse();
}

/** One row per system, op and outstanding count: the median of each figure over the rounds. */
export function medianRows(rows: readonly Row[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${row.system}|${row.op}|${row.outstanding}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((g) => ({ ...g[0], round: -1, rate: median(g.map((r) => r.rate)), p50: median(g.map((r) => r.p50)), p99: median(g.map((r) => r.p99)) }));
}

export interface Ratio {
  op: string;
  outstanding: number;
  /** Median throughput of `ours` over median throughput of `theirs`. */
  throughput: number;
  /** Median p99 of `ours` over median p99 of `theirs` (lower is better for `ours`). */
  p99: number;
  /** Per round, throughput of `ours` over that of `theirs` in the same round. */
  paired: number[];
}

/** For every point both systems ran: the ratios of their medians, and the per-round ratios. */
export function ratios(rows: readonly Row[], ours: string, theirs: string): Ratio[] {
  const medians = medianRows(rows);
  const out: Ratio[] = [];
  for (const a of medians.filter((r) => r.system === ours)) {
    const b = medians.find((r) => r.system === theirs && r.op === a.op && r.outstanding === a.outstanding);
    if (!b) continue;
    const same = (r: Row): boolean => r.op === a.op && r.outstanding === a.outstanding;
    const paired: number[] = [];
    for (const x of rows.filter((r) => r.system === ours && same(r))) {
      const y = rows.find((r) => r.system === theirs && same(r) && r.round === x.round);
      if (y && y.rate > 0) paired.push(x.rate / y.rate);
    }
    out.push({ op: a.op, outstanding: a.outstanding, throughput: a.rate / b.rate, p99: a.p99 / b.p99, paired });
  }
  return out;
}

/** One line per ratio; with more than one round, the per-round ratios' median and how many favour `ours`. */
export function formatRatio(r: Ratio): string {
  const head = `${r.op.padEnd(8)} ${String(r.outstanding).padStart(5)}  throughput x${r.throughput.toFixed(2)}  p99 x${r.p99.toFixed(2)}`;
  if (r.paired.length < 2) return head;
  const above = r.paired.filter((x) => x >= 1).length;
  return `${head}  per round: median x${median(r.paired).toFixed(2)}, ${above} of ${r.paired.length} at or above x1.00`;
}
