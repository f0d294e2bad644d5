// Records real client calls as a history. Pure: time comes from the injected `now()`, so a
// test may pass `performance.now` or a counter; the recorder only needs it to be monotonic.

import { assert } from './assert';
import {
  type Consistency, type History, type Operation, type ZnodeInput, type ZnodeOutput, type ZnodeState,
  historyToJson, validateOperation,
} from './history';

export type RecordToken = number;

export interface HistoryRecorderOptions {
  /** A limit on recorded operations, so a runaway test fails clearly instead of eating memory. */
  readonly operationsMax?: number;
  /** Keys that existed before recording started (the checker starts other keys absent). */
  readonly initialStates?: Readonly<Record<string, ZnodeState>>;
}

export const RECORDED_OPERATIONS_MAX_DEFAULT = 1_000_000;

interface Pending {
  readonly clientId: number;
  readonly key: string;
  readonly input: ZnodeInput;
  readonly callMs: number;
  readonly consistency?: Consistency;
}

export class HistoryRecorder {
  private readonly completed: Operation[] = [];
  private readonly pending = new Map<RecordToken, Pending>();
  private nextToken: RecordToken = 1;
  private lastMs = -Infinity;
  private readonly operationsMax: number;
  private readonly initialStates?: Readonly<Record<string, ZnodeState>>;

  constructor(private readonly now: () => number, options: HistoryRecorderOptions = {}) {
    this.operationsMax = options.operationsMax ?? RECORDED_OPERATIONS_MAX_DEFAULT;
    this.initialStates = options.initialStates;
  }

  /** Call just before sending the request. */
  begin(clientId: number, key: string, input: ZnodeInput, consistency?: Consistency): RecordToken {
    const count = this.completed.length + this.pending.size;
    if (count >= this.operationsMax) {
      throw new Error(`history recorder: more than operationsMax=${this.operationsMax} operations`);
    }
    const token = this.nextToken++;
    const pending: Pending = { clientId, key, input, callMs: this.tick() };
    this.pending.set(token, consistency === undefined ? pending : { ...pending, consistency });
    return token;
  }

  /** Call as soon as the response (success or a domain error) arrives. */
  end(token: RecordToken, output: ZnodeOutput): void {
    this.finish(token, output, this.tick());
  }

  /** Call when the outcome is unknown: timeout, connection lost, session moved mid-call. */
  endUnknown(token: RecordToken): void {
    this.finish(token, null, Infinity);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Completed operations in the order they ended, then still-pending ones as unknown outcomes
   *  (a client that crashed mid-call cannot know whether its request took effect). */
  history(): History {
    const open = [...this.pending.values()].map((p): Operation => ({ ...p, output: null, returnMs: Infinity }));
    return [...this.completed, ...open];
  }

  toJson(): string {
    return historyToJson(this.history(), this.initialStates);
  }

  private finish(token: RecordToken, output: ZnodeOutput | null, returnMs: number): void {
    const pending = this.pending.get(token);
    assert(pending !== undefined, `history recorder: token ${token} was never begun or has already ended`);
    this.pending.delete(token);
    const op: Operation = { ...pending, output, returnMs };
    validateOperation(op, this.completed.length);
    this.completed.push(op);
  }

  private tick(): number {
    const ms = this.now();
    assert(Number.isFinite(ms) && ms >= this.lastMs, `history recorder: now() went backwards (${ms} < ${this.lastMs})`);
    this.lastMs = ms;
    return ms;
  }
}
