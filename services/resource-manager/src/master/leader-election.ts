// Master election (Mesos: masters contend through ZooKeeper): the coordination client's
// LeaderElection recipe — an ephemeral-sequential znode per master under `<root>/masters`
// holding its address, the lowest leads, each contender watches only its predecessor — with
// leadership given up at once on a disconnect (disconnectGraceMs 0: the session may already
// have expired on the servers). The znode path is the fencing token of every registry write.
import { EventEmitter } from 'node:events';
import type { Logger } from '@ensemble/common';
import { CoordClient, LeaderElection } from '@ensemble/coord-client';

/** Events: 'elected', 'lost' (reason). */
export class MasterElection extends EventEmitter {
  private election: LeaderElection;

  constructor(
    private readonly client: CoordClient,
    private readonly dir: string,
    private readonly data: string,
    private readonly logger: Logger,
  ) {
    super();
    this.election = this.create();
  }

  private create(): LeaderElection {
    const election = new LeaderElection(this.client, this.dir, this.data, { disconnectGraceMs: 0 });
    election.on('elected', () => this.emit('elected'));
    election.on('leadershipLost', (reason: string) => this.emit('lost', reason));
    election.on('error', (err: unknown) => this.logger.error('election error', { err }));
    return election;
  }

  get nodePath(): string | null {
    return this.election.nodePath;
  }

  get isLeader(): boolean {
    return this.election.isLeader;
  }

  start(): Promise<void> {
    return this.election.start();
  }

  /** Leaves and joins again with a new znode (at the back of the line). */
  async restart(): Promise<void> {
    await this.election.resign();
    this.election.removeAllListeners();
    this.election = this.create();
    await this.election.start();
  }

  resign(): Promise<void> {
    return this.election.resign();
  }
}
