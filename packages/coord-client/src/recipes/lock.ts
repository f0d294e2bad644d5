// Exclusive lock. ZooKeeper recipe "Locks": ephemeral-sequential children of the lock directory;
// the lowest holds the lock; each waiter watches only its predecessor (no herd effect).
import type { CoordClient } from '../client';
import { CoordError, hasCode } from '../errors';
import { baseName, joinPath, sequenceOf } from '../path';
import type { Data, WatchEvent } from '../types';
import {
  checkDeadline, deleteIfExists, newGuid, protectedCreate, retryOnConnectionLoss, sortBySequence, waitUntil, type WaitOptions,
} from './recipe-util';

const LOCK_MARKER = '-lock-';

export interface LockHandle {
  /** The holder's node. */
  readonly path: string;
  /**
   * The node's sequence number: strictly increasing across holders of this lock directory (the
   * server takes it from the parent's cversion), so a resource can reject a stale holder.
   */
  readonly fencingToken: number;
  /** Deletes the node; safe to call twice or after the session ended. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class Lock {
  constructor(
    private readonly client: CoordClient,
    readonly dir: string,
    private readonly opts: { data?: Data; guid?: () => string } = {},
  ) {}

  /** Waits for the lock; fails with OPERATION_TIMEOUT, the abort reason, or SESSION_EXPIRED. */
  async acquire(opts: AcquireOptions = {}): Promise<LockHandle> {
    const wait: WaitOptions = {
      deadlineMs: opts.timeoutMs === undefined ? undefined : Date.now() + opts.timeoutMs, signal: opts.signal, path: this.dir,
    };
    await retryOnConnectionLoss(this.client, wait, () => this.client.mkdirp(this.dir));
    const guid = (this.opts.guid ?? newGuid)();
    const ourPath = await protectedCreate(this.client, this.dir, 'lock-', guid, this.opts.data, 'EPHEMERAL_SEQUENTIAL');
    try {
      await this.waitForTurn(ourPath, wait);
    } catch (err) {
      // Give up our place so the next waiter is not blocked behind an abandoned node.
      // Best effort: if this fails too, the node still goes when the session ends.
      if (this.client.state !== 'expired' && this.client.state !== 'closed') {
        await deleteIfExists(this.client, ourPath).catch((cleanupErr: unknown) => {
          if (!hasCode(cleanupErr, 'CONNECTION_LOSS', 'SESSION_EXPIRED')) throw cleanupErr;
        });
      }
      throw err;
    }
    return this.handle(ourPath);
  }

  private async waitForTurn(ourPath: string, wait: WaitOptions): Promise<void> {
    const ourName = baseName(ourPath);
    for (;;) {
      checkDeadline(wait);
      const children = sortBySequence(await retryOnConnectionLoss(this.client, wait, () => this.client.getAllChildren(this.dir)), LOCK_MARKER);
      const index = children.indexOf(ourName);
      if (index < 0) throw new CoordError('NO_NODE', { path: ourPath, detail: 'lock node vanished (session expired?)' });
      if (index === 0) return;
      const predecessor = joinPath(this.dir, children[index - 1]);
      let fire: (event: WatchEvent) => void = () => undefined;
      const fired = new Promise<WatchEvent>((resolve) => (fire = resolve));
      const stat = await retryOnConnectionLoss(this.client, wait, () => this.client.exists(predecessor, { watch: fire }));
      if (stat === null) continue; // gone already: look again
      const event = await waitUntil(fired, wait);
      if (event.type === 'NONE') throw new CoordError('SESSION_EXPIRED', { path: ourPath, detail: `session ${event.state}` });
    }
  }

  private handle(path: string): LockHandle {
    let released = false;
    return {
      path,
      fencingToken: sequenceOf(baseName(path)) as number,
      release: async () => {
        if (released) return;
        try {
          await deleteIfExists(this.client, path);
        } catch (err) {
          // With the session over, its ephemeral node is gone too; anything else the caller retries.
          if (!hasCode(err, 'SESSION_EXPIRED')) throw err;
        }
        released = true;
      },
    };
  }
}
