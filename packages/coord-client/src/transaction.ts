import type { CreateOptions, Data, MultiOp, MultiResult } from './types';

/**
 * Builds a multi: `client.transaction().create(...).setData(...).check(...).delete(...).commit()`.
 * All ops apply atomically or none does (ZooKeeper: Transaction).
 */
export class Transaction {
  private readonly ops: MultiOp[] = [];

  constructor(private readonly runner: { multi(ops: MultiOp[]): Promise<MultiResult[]> }) {}

  create(path: string, data?: Data, opts: CreateOptions = {}): this {
    this.ops.push({ type: 'create', path, data, mode: opts.mode, ttlMs: opts.ttlMs });
    return this;
  }

  delete(path: string, version = -1): this {
    this.ops.push({ type: 'delete', path, version });
    return this;
  }

  setData(path: string, data: Data, version = -1): this {
    this.ops.push({ type: 'setData', path, data, version });
    return this;
  }

  check(path: string, version: number): this {
    this.ops.push({ type: 'check', path, version });
    return this;
  }

  /** The ops so far, in order. */
  get size(): number {
    return this.ops.length;
  }

  commit(): Promise<MultiResult[]> {
    return this.runner.multi(this.ops.slice());
  }
}
