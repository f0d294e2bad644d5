// Shared test fixtures for the data tree: a transaction driver and a seeded PRNG.
import { DataTree } from '../../../src/tree/data-tree';
import type { ApplyOutcome, CreateMode, CreateOp, MultiSubOp, TxnOp } from '../../../src/tree/types';

/** mulberry32: small, fast, seeded; a failing seed replays exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

export const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

export function create(path: string, data = '', mode: CreateMode = 'PERSISTENT', ttlMs = 0): CreateOp {
  return { type: 'create', path, data: bytes(data), mode, ttlMs };
}
export const del = (path: string, version = -1): MultiSubOp => ({ type: 'delete', path, version });
export const setData = (path: string, data: string, version = -1): MultiSubOp => ({ type: 'setData', path, data: bytes(data), version });
export const check = (path: string, version = -1): MultiSubOp => ({ type: 'check', path, version });

/**
 * Applies ops to a tree the way the log would: zxids 1, 2, 3..., time starting at 1_000_000 ms
 * and advancing 10 ms a transaction unless given.
 */
export class Driver {
  zxid = 0;
  timeMs = 1_000_000;

  constructor(readonly tree: DataTree = new DataTree()) {}

  apply(op: TxnOp, options: { sessionId?: number; timeMs?: number } = {}): ApplyOutcome {
    this.zxid += 1;
    this.timeMs = options.timeMs ?? this.timeMs + 10;
    return this.tree.apply({ zxid: this.zxid, timeMs: this.timeMs, sessionId: options.sessionId ?? 0, op });
  }

  /** Applies and asserts success. */
  ok(op: TxnOp, options: { sessionId?: number; timeMs?: number } = {}): ApplyOutcome {
    const outcome = this.apply(op, options);
    if (!outcome.result.ok) throw new Error(`${op.type} failed: ${outcome.result.code}`);
    return outcome;
  }

  openSession(sessionId: number, timeoutMs = 10_000): void {
    this.ok({ type: 'createSession', sessionId, timeoutMs, password: bytes(`pw-${sessionId}`) });
  }
}
