// Double barrier. ZooKeeper recipe "Double Barriers": N participants enter together and leave
// together. Each participant is an ephemeral child of the barrier directory; the one that sees
// the N-th child creates the "ready" node that releases everybody.
import type { CoordClient } from '../client';
import { CoordError, hasCode } from '../errors';
import { joinPath } from '../path';
import type { Data, WatchEvent } from '../types';
import { checkDeadline, deleteIfExists, newGuid, waitUntil, type WaitOptions } from './recipe-util';

const READY = 'ready';
const PARTICIPANT_PREFIX = 'p-';

export interface BarrierWaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class DoubleBarrier {
  private readonly name: string;
  private readonly ourPath: string;
  private readonly readyPath: string;

  constructor(
    private readonly client: CoordClient,
    readonly dir: string,
    readonly count: number,
    private readonly opts: { name?: string; data?: Data } = {},
  ) {
    if (!Number.isInteger(count) || count < 1) throw new CoordError('BAD_ARGUMENTS', { path: dir, detail: `bad participant count ${count}` });
    this.name = PARTICIPANT_PREFIX + (opts.name ?? newGuid());
    this.ourPath = joinPath(dir, this.name);
    this.readyPath = joinPath(dir, READY);
  }

  /** Waits until `count` participants have entered. */
  async enter(opts: BarrierWaitOptions = {}): Promise<void> {
    const wait = this.waitOptions(opts);
    await this.client.mkdirp(this.dir);
    let created = false;
    for (;;) {
      checkDeadline(wait);
      // The watch on "ready" is set before our node exists, so its creation cannot be missed.
      const { fired, watch } = oneShot();
      const ready = await this.client.exists(this.readyPath, { watch });
      if (!created) {
        await this.createOurNode();
        created = true;
      }
      if (ready) return;
      if ((await this.participants()).length >= this.count) {
        await this.client.create(this.readyPath).catch((err: unknown) => {
          if (!hasCode(err, 'NODE_EXISTS')) throw err;
        });
        return;
      }
      const event = await waitUntil(fired, wait);
      if (event.type === 'NONE') throw new CoordError('SESSION_EXPIRED', { path: this.ourPath, detail: `session ${event.state}` });
      if (event.type === 'NODE_CREATED') return;
    }
  }

  /**
   * Waits until every participant has left. ZooKeeper recipe: the lowest participant waits for the
   * highest to go; every other one deletes its node and waits for the lowest to go.
   */
  async leave(opts: BarrierWaitOptions = {}): Promise<void> {
    const wait = this.waitOptions(opts);
    for (;;) {
      checkDeadline(wait);
      const names = await this.participants();
      const ours = names.includes(this.name);
      if (names.length === 0) return;
      if (names.length === 1 && ours) {
        await deleteIfExists(this.client, this.ourPath);
        // The last one out removes "ready" so the directory can hold the next round.
        await deleteIfExists(this.client, this.readyPath);
        return;
      }
      const lowest = names[0] === this.name;
      if (!lowest && ours) await deleteIfExists(this.client, this.ourPath);
      const target = joinPath(this.dir, lowest ? names[names.length - 1] : names[0]);
      const { fired, watch } = oneShot();
      if ((await this.client.exists(target, { watch })) === null) continue;
      const event = await waitUntil(fired, wait);
      if (event.type === 'NONE') throw new CoordError('SESSION_EXPIRED', { path: this.ourPath, detail: `session ${event.state}` });
    }
  }

  private async createOurNode(): Promise<void> {
    try {
      await this.client.create(this.ourPath, this.opts.data, { mode: 'EPHEMERAL' });
    } catch (err) {
      if (!hasCode(err, 'NODE_EXISTS')) throw err;
      // Ours from a lost reply is fine; another live session's is a name clash.
      const stat = await this.client.exists(this.ourPath);
      if (!stat || stat.ephemeralOwner !== this.client.sessionId) throw err;
    }
  }

  private async participants(): Promise<string[]> {
    return (await this.client.getAllChildren(this.dir)).filter((c) => c.startsWith(PARTICIPANT_PREFIX)).sort();
  }

  private waitOptions(opts: BarrierWaitOptions): WaitOptions {
    return { deadlineMs: opts.timeoutMs === undefined ? undefined : Date.now() + opts.timeoutMs, signal: opts.signal, path: this.dir };
  }
}

function oneShot(): { fired: Promise<WatchEvent>; watch: (e: WatchEvent) => void } {
  let watch: (e: WatchEvent) => void = () => undefined;
  const fired = new Promise<WatchEvent>((resolve) => (watch = resolve));
  return { fired, watch };
}
