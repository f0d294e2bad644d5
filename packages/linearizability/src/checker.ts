// The checker's entry point: partition per key, search each partition, report the first key
// that is not linearizable with an explanation, or that the budget ran out.

import type { Operation, ZnodeInput, ZnodeOutput, ZnodeState } from './history';
import { historyFromJson } from './history';
import { type Explanation, explain, explainValueAnomaly } from './explanation';
import { findValueAnomaly } from './value-anomalies';
import type { Model } from './model';
import { partitionByKey } from './partition';
import { searchPartition } from './search';
import { type BudgetLimit, StepBudget } from './step-budget';
import { createZnodeModel, znodeModel } from './znode-model';

export interface CheckOptions {
  /** Search steps for the whole history (each tried operation and each backtrack is one). */
  readonly maxSteps?: number;
  /** A wall-clock bound as well: give both, with the clock injected. */
  readonly now?: () => number;
  readonly timeoutMs?: number;
  /** Reject reads of never-written or overwritten values before searching (default true).
   *  False always searches, for an explanation with the longest linearizable prefix. */
  readonly valueChecks?: boolean;
}

/** Some seconds of search at the worst (2-5 µs a step); a fault test's history needs far fewer. */
export const MAX_STEPS_DEFAULT = 2_000_000;

export interface CheckStats {
  readonly operations: number;
  readonly partitions: number;
  readonly partitionsChecked: number;
  readonly steps: number;
  /** Configurations memoised, summed over partitions. */
  readonly cacheEntries: number;
}

export type CheckResult<S = ZnodeState, I = ZnodeInput, O = ZnodeOutput> =
  | { readonly ok: true; readonly stats: CheckStats }
  | { readonly ok: false; readonly key: string; readonly explanation: Explanation<S, I, O>; readonly stats: CheckStats }
  | { readonly ok: 'unknown'; readonly reason: 'timeout'; readonly limit: BudgetLimit; readonly key: string; readonly stats: CheckStats };

export function checkLinearizable(history: readonly Operation[], model?: Model<ZnodeState, ZnodeInput, ZnodeOutput>,
  options?: CheckOptions): CheckResult;
export function checkLinearizable<S, I, O>(history: readonly Operation<I, O>[], model: Model<S, I, O>,
  options?: CheckOptions): CheckResult<S, I, O>;
export function checkLinearizable<S, I, O>(history: readonly Operation<I, O>[], model?: Model<S, I, O>,
  options: CheckOptions = {}): CheckResult<S, I, O> {
  // The overloads tie a missing model to znode histories.
  const m = model ?? (znodeModel as unknown as Model<S, I, O>);
  const budget = new StepBudget({ ...options, maxSteps: options.maxSteps ?? MAX_STEPS_DEFAULT });
  const partitions = partitionByKey(history, m);
  let checked = 0;
  let cacheEntries = 0;
  const stats = (): CheckStats => ({
    operations: history.length, partitions: partitions.length, partitionsChecked: checked, steps: budget.used, cacheEntries,
  });
  // The cheap refutation first, on every key, so that no search can run the budget out before it.
  for (const { key, ops } of options.valueChecks === false ? [] : partitions) {
    const anomaly = findValueAnomaly(ops, m, m.init(key));
    if (anomaly !== null) return { ok: false, key, explanation: explainValueAnomaly(key, anomaly, m.init(key), m), stats: stats() };
  }
  for (const { key, ops } of partitions) {
    const outcome = searchPartition(ops, m, m.init(key), budget);
    if (outcome.kind === 'budget') return { ok: 'unknown', reason: 'timeout', limit: outcome.limit, key, stats: stats() };
    checked++;
    cacheEntries += outcome.cacheSize;
    if (outcome.kind === 'illegal') return { ok: false, key, explanation: explain(key, ops, outcome.deepest, m), stats: stats() };
  }
  return { ok: true, stats: stats() };
}

/** Re-checks a history saved with `historyToJson` or `HistoryRecorder.toJson`. */
export function checkHistoryJson(text: string, options?: CheckOptions): CheckResult {
  const { history, initialStates } = historyFromJson(text);
  return checkLinearizable(history, createZnodeModel({ initialStates }), options);
}
