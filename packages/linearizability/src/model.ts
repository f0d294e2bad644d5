// A sequential specification, as the checker needs it (Porcupine's NondeterministicModel).

export interface Model<S, I, O> {
  /** The state of `key` before the history starts. */
  init(key: string): S;
  /** The states that `input` may lead to from `state` when it was observed to return `output`
   *  (null: unknown outcome). Empty: the operation cannot have returned that output there. */
  step(state: S, input: I, output: O | null): readonly S[];
  equal(a: S, b: S): boolean;
  /** Equal states must hash equally; used by the memo cache (Lowe). */
  hash(state: S): number;
  /** Read-only inputs never change the state: an unknown-outcome read is dropped, and only
   *  reads may be checked with 'sequential' consistency. */
  isReadOnly(input: I): boolean;
  /** True when the operation, with this output, leaves the state as it was wherever it is
   *  legal (a read, a write that failed). Lets the search linearize it as soon as it is legal
   *  instead of trying it at every later point. */
  changesNothing(input: I, output: O | null): boolean;
  /** Optional: lets the checker reject reads of values never written, or overwritten, without
   *  a search (see value-anomalies.ts). */
  readonly values?: ModelValues<S, I, O>;
  describeOperation(input: I, output: O | null): string;
  describeState(state: S): string;
}

/**
 * Values that identify what a write leaves behind (a znode's data). Contract:
 * - a read whose output shows value v (`observed`) was applied in a state holding v (`held`);
 * - a state holds v only if it is the initial state or an operation that may have written v
 *   (`written`: given its input and output, null for unknown) was linearized before it;
 * - after an operation that `overwrites`, the state holds only what that operation wrote.
 */
export interface ModelValues<S, I, O> {
  written(input: I, output: O | null): string | undefined;
  observed(input: I, output: O): string | undefined;
  held(state: S): string | undefined;
  overwrites(input: I, output: O): boolean;
}
