// The search is exponential in the worst case, so it runs on a budget. Steps keep the checker
// pure and its verdict reproducible; a wall-clock deadline is possible with an injected clock.

export type BudgetLimit = 'steps' | 'time';

export interface BudgetOptions {
  readonly maxSteps: number;
  /** Both or neither: the clock is read every CLOCK_CHECK_INTERVAL_STEPS steps. */
  readonly now?: () => number;
  readonly timeoutMs?: number;
}

export const CLOCK_CHECK_INTERVAL_STEPS = 4096;

export class StepBudget {
  private usedSteps = 0;
  private readonly deadlineMs: number;

  constructor(private readonly options: BudgetOptions) {
    const { now, timeoutMs } = options;
    if ((now === undefined) !== (timeoutMs === undefined)) throw new Error('checker: timeoutMs needs an injected now(), and now() a timeoutMs');
    if (!(options.maxSteps > 0)) throw new Error(`checker: maxSteps must be positive, got ${options.maxSteps}`);
    this.deadlineMs = now !== undefined && timeoutMs !== undefined ? now() + timeoutMs : Infinity;
  }

  get used(): number {
    return this.usedSteps;
  }

  /** Counts one step; returns the limit reached, if any. */
  spend(): BudgetLimit | null {
    this.usedSteps++;
    if (this.usedSteps > this.options.maxSteps) return 'steps';
    const { now } = this.options;
    if (now !== undefined && this.usedSteps % CLOCK_CHECK_INTERVAL_STEPS === 0 && now() >= this.deadlineMs) return 'time';
    return null;
  }
}
