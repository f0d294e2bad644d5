// The commit log orders transactions, makes them durable (and, in an ensemble, replicated) and
// hands them to the applier in zxid order. The server above it does not know which one it has.
import type { ApplyOutcome, ErrorCode, Txn, TxnOp } from '../tree/types';
import { makeZxid } from '../tree/types';
import { encodeTxn } from '../tree/txn-codec';

/** Called with each committed transaction, in zxid order, exactly once. */
export type Applier = (txn: Txn) => ApplyOutcome;

/**
 * How a proposal ended, told to the server that proposed it: applied (with the outcome), or
 * failed. A failure with CONNECTION_LOSS means the outcome is unknown (the leader changed while
 * the write was in flight, as in ZooKeeper); any other code means it was not applied.
 */
export type ProposeResult = { ok: true; txn: Txn; outcome: ApplyOutcome } | { ok: false; code: ErrorCode; message: string };
export type Done = (result: ProposeResult) => void;

/** How a read barrier ended: this server has applied everything committed before it, or not. */
export type BarrierResult = { ok: true } | { ok: false; code: ErrorCode; message: string };

export interface CommitLog {
  /** Stamps, orders and commits `op` on behalf of `sessionId` (0: the server itself). */
  propose(sessionId: number, op: TxnOp, done?: Done): void;
  /** zxid of the last transaction handed to the applier. */
  readonly lastZxid: number;
  /** Whether this server accepts proposals now (it orders them itself or forwards them). */
  readonly canPropose: boolean;
  /** This server decides session expiry and reaping (ZooKeeper: the leader's SessionTracker). */
  readonly leads: boolean;
  /**
   * Calls `done` once this server has applied everything committed before the call (`sync`,
   * linearizable reads). Absent: always already true (a standalone server).
   */
  readBarrier?(done: (result: BarrierResult) => void): void;
  /** False while this server is cut off from the quorum: it takes no client connections. Absent: true. */
  readonly servesClients?: boolean;
  /** A client of `sessionId` showed life on this server (forwarded to whoever decides expiry). */
  noteSessionActivity?(sessionId: number): void;
  close(): Promise<void>;
}

/** Where a durable log keeps records; the storage layer's write-ahead log fits it. */
export interface DurableAppender {
  append(key: number, payload: Buffer): Promise<void>;
}

interface Pending {
  txn: Txn;
  done?: Done;
}

/**
 * A standalone server's commit log: a transaction commits once it is durable in the local
 * write-ahead log (fdatasync; group commit batches everything proposed meanwhile).
 */
export class StandaloneLog implements CommitLog {
  private readonly pending: Pending[] = [];
  private counter: number;
  private applied: number;
  private failed: Error | null = null;

  constructor(
    private readonly wal: DurableAppender,
    private readonly epoch: number,
    lastZxid: number,
    private readonly apply: Applier,
    private readonly clock: () => number,
    private readonly onFatal: (err: Error) => void,
  ) {
    this.counter = 0;
    this.applied = lastZxid;
  }

  get lastZxid(): number {
    return this.applied;
  }

  get canPropose(): boolean {
    return this.failed === null;
  }

  get leads(): boolean {
    return this.failed === null;
  }

  propose(sessionId: number, op: TxnOp, done?: Done): void {
    if (this.failed) throw this.failed;
    this.counter += 1;
    const txn: Txn = { zxid: makeZxid(this.epoch, this.counter), timeMs: this.clock(), sessionId, op };
    this.pending.push({ txn, done });
    this.wal.append(txn.zxid, encodeTxn(txn)).then(
      () => this.onDurable(txn.zxid),
      (err: Error) => this.fail(err),
    );
  }

  async close(): Promise<void> {
    // Nothing buffered here: every proposal is already in the write-ahead log's queue.
  }

  private onDurable(zxid: number): void {
    // Appends resolve in order; apply everything up to and including this one.
    while (this.pending.length > 0 && this.pending[0].txn.zxid <= zxid) {
      const { txn, done } = this.pending.shift()!;
      const outcome = this.apply(txn);
      this.applied = txn.zxid;
      done?.({ ok: true, txn, outcome });
    }
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = new Error(`write-ahead log failed: ${err.message}`, { cause: err });
    // A server that cannot persist must not answer writes: ZooKeeper exits in this case too.
    this.onFatal(this.failed);
  }
}
