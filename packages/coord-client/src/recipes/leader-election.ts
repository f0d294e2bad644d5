// Leader election. ZooKeeper recipe "Leader Election": each candidate creates an
// ephemeral-sequential child of the election directory; the lowest is the leader; the others each
// watch only their predecessor, so a leader's death wakes exactly one candidate.
import { EventEmitter } from 'node:events';
import type { CoordClient } from '../client';
import { CoordError, hasCode } from '../errors';
import { baseName, joinPath } from '../path';
import type { ClientState, Data, WatchEvent } from '../types';
import { deleteIfExists, newGuid, protectedCreate, sortBySequence } from './recipe-util';

const CANDIDATE_MARKER = '-n_';

export interface LeaderElectionOptions {
  /**
   * How long a leader stays leader while disconnected. Default 0: leadership is given up at once,
   * because the session may expire on the server before the client can tell (Curator's standard
   * connection-state policy).
   */
  disconnectGraceMs?: number;
  guid?: () => string;
}

/**
 * Events: 'elected' (this candidate became leader), 'leadershipLost' (reason: 'disconnected',
 * 'expired', 'closed', 'node deleted', 'superseded', 'resigned'), 'error' (a failure it cannot recover from
 * while the session lives).
 */
export class LeaderElection extends EventEmitter {
  private leader = false;
  private running = false;
  private ourPath: string | null = null;
  private checking: Promise<void> | null = null;
  private recheck = false;
  private graceTimer: NodeJS.Timeout | null = null;
  private readonly onState = (state: ClientState): void => this.handleState(state);

  constructor(
    private readonly client: CoordClient,
    readonly dir: string,
    private readonly candidateData: Data,
    private readonly opts: LeaderElectionOptions = {},
  ) {
    super();
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** This candidate's node, once created. */
  get nodePath(): string | null {
    return this.ourPath;
  }

  /** Joins the election; resolves once the candidate node exists and the first check ran. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.client.on('state', this.onState);
    await this.client.mkdirp(this.dir);
    await this.join();
    await this.scheduleCheck();
  }

  /** Leaves the election: deletes the candidate node (a leader steps down). */
  async resign(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.client.off('state', this.onState);
    this.clearGrace();
    const path = this.ourPath;
    this.ourPath = null;
    this.lose('resigned');
    if (path && this.client.state !== 'expired' && this.client.state !== 'closed') await deleteIfExists(this.client, path);
  }

  /** The current leader's data, or null when there is no candidate. */
  async leaderData(): Promise<Buffer | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const children = await this.client.getAllChildren(this.dir).catch((err: unknown) => {
        if (hasCode(err, 'NO_NODE')) return [];
        throw err;
      });
      const first = sortBySequence(children, CANDIDATE_MARKER)[0];
      if (!first) return null;
      try {
        return (await this.client.getData(joinPath(this.dir, first))).data;
      } catch (err) {
        if (!hasCode(err, 'NO_NODE')) throw err; // that leader just left: look again
      }
    }
    throw new CoordError('RUNTIME_INCONSISTENCY', { path: this.dir, detail: 'leader kept changing' });
  }

  private async join(): Promise<void> {
    const guid = (this.opts.guid ?? newGuid)();
    this.ourPath = await protectedCreate(this.client, this.dir, 'n_', guid, this.candidateData, 'EPHEMERAL_SEQUENTIAL');
  }

  /** Runs check() now, or once more after the running one: never two at a time. */
  private scheduleCheck(): Promise<void> {
    if (this.checking) {
      this.recheck = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.recheck = false;
        await this.check().catch((err: unknown) => this.onCheckError(err));
      } while (this.recheck && this.running);
      this.checking = null;
    })();
    return this.checking;
  }

  private async check(): Promise<void> {
    if (!this.running || this.client.state !== 'connected') return;
    const children = sortBySequence(await this.client.getAllChildren(this.dir), CANDIDATE_MARKER);
    if (!this.running) return;
    const ourName = this.ourPath ? baseName(this.ourPath) : '';
    const index = children.indexOf(ourName);
    if (index < 0) {
      // Our node is gone (deleted by someone, or a session that ended): rejoin.
      this.lose('node deleted');
      await this.join();
      this.recheck = true;
      return;
    }
    // Watch our own node when leading (its loss ends leadership), the predecessor otherwise.
    const watched = index === 0 ? (this.ourPath as string) : joinPath(this.dir, children[index - 1]);
    const stat = await this.client.exists(watched, { watch: (e) => this.onWatch(e) });
    if (index > 0) {
      this.lose('superseded');
      if (stat === null) this.recheck = true;
      return;
    }
    if (stat === null) {
      this.recheck = true;
      return;
    }
    this.win();
  }

  private onWatch(event: WatchEvent): void {
    if (event.type === 'NONE' || !this.running) return; // session end is handled by handleState
    void this.scheduleCheck();
  }

  private onCheckError(err: unknown): void {
    // A lost connection is retried on reconnect; a finished session is reported by handleState.
    if (hasCode(err, 'CONNECTION_LOSS', 'SESSION_EXPIRED')) return;
    this.emit('error', err);
  }

  private handleState(state: ClientState): void {
    if (state === 'expired' || state === 'closed') {
      this.running = false;
      this.clearGrace();
      this.client.off('state', this.onState);
      return this.lose(state);
    }
    if (state === 'disconnected' && this.leader) {
      const graceMs = this.opts.disconnectGraceMs ?? 0;
      if (graceMs <= 0) return this.lose('disconnected');
      this.graceTimer ??= setTimeout(() => {
        this.graceTimer = null;
        this.lose('disconnected');
      }, graceMs);
    }
    if (state === 'connected') {
      this.clearGrace();
      void this.scheduleCheck();
    }
  }

  private clearGrace(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
  }

  private win(): void {
    if (this.leader || !this.running) return;
    this.leader = true;
    this.emit('elected');
  }

  private lose(reason: string): void {
    if (!this.leader) return;
    this.leader = false;
    this.emit('leadershipLost', reason);
  }
}
