// A master process's shell: the gRPC server (Scheduler, AgentLink, Operator), the admin HTTP
// server, the coordination session, the election and the switch between standby and leader.
// Losing the election (or the session) ends the Leader at once; an expired session is replaced
// by a new one and the master runs for election again.
import * as os from 'node:os';
import { createRegistry, startAdminServer, startGrpcServer, type GrpcServiceBinding, type Logger } from '@ensemble/common';
import { CoordClient, sequenceOf } from '@ensemble/coord-client';
import type { rmV1 } from '@ensemble/proto';
import { LeaderDetector, encodeMasterData, mastersDir } from '../leader-detector';
import { RM_PROTO_FILES, loadRmV1 } from '../proto';
import { AgentRegistry } from './agent-registry';
import { handleAgentStream } from './agent-stream';
import { handleSubscribeStream } from './framework-stream';
import { Leader, LeaderOptions } from './leader';
import { MasterElection } from './leader-election';
import { operatorService } from './operator-service';
import type { MasterRole } from './role';
import { MemoryTaskStore, RedisTaskStore, redactUrl, type TaskStore } from './task-store';

export interface MasterServerOptions extends Omit<LeaderOptions, 'address'> {
  readonly host: string;
  readonly port: number;
  readonly adminPort: number;
  readonly advertiseHost?: string;
  readonly coord: string;
  readonly coordRoot: string;
  readonly sessionTimeoutMs: number;
  readonly redisUrl?: string;
  readonly redisKeyPrefix?: string;
  readonly logger: Logger;
}

export interface MasterServer {
  readonly address: string;
  readonly grpcPort: number;
  readonly adminPort: number;
  isLeader(): boolean;
  stop(): Promise<void>;
}

export async function startMasterServer(opts: MasterServerOptions): Promise<MasterServer> {
  const { logger } = opts;
  const store: TaskStore = opts.redisUrl ? await RedisTaskStore.open({ url: opts.redisUrl, keyPrefix: opts.redisKeyPrefix, onError: (err) => logger.warn('task store connection trouble', { err }) }) : new MemoryTaskStore();
  logger.info('task store', { kind: store.kind, ...(opts.redisUrl ? { url: redactUrl(opts.redisUrl) } : {}) });
  const state = new MasterState(opts, store);
  const { Scheduler, AgentLink } = loadRmV1();
  const scheduler: rmV1.SchedulerHandlers = { Subscribe: (call) => handleSubscribeStream(state, call) };
  const agentLink: rmV1.AgentLinkHandlers = { Connect: (call) => handleAgentStream(state, call) };
  const services: GrpcServiceBinding[] = [
    { definition: Scheduler.service, implementation: scheduler },
    { definition: AgentLink.service, implementation: agentLink },
    { definition: loadRmV1().Operator.service, implementation: operatorService(state) },
  ];
  const grpcServer = await startGrpcServer({ host: opts.host, port: opts.port, services, reflectionProtoFiles: RM_PROTO_FILES, logger });
  state.address = `${opts.advertiseHost ?? opts.host}:${grpcServer.port}`;
  const metrics = createRegistry('rm_master');
  const admin = await startAdminServer({ host: opts.host, port: opts.adminPort, registry: metrics, status: () => state.status(), logger });
  await state.join();
  return {
    address: state.address,
    grpcPort: grpcServer.port,
    adminPort: admin.port,
    isLeader: () => state.leader() !== undefined,
    stop: async () => {
      await state.stop();
      await grpcServer.shutdown(2000);
      await admin.close();
      await store.close();
    },
  };
}

/** Standby or leader, and the coordination session both hang on. */
class MasterState implements MasterRole {
  address = '';
  private client: CoordClient | undefined;
  private detector: LeaderDetector | undefined;
  private election: MasterElection | undefined;
  private current: Leader | undefined;
  private stopping = false;
  private generation = 0;

  constructor(
    private readonly opts: MasterServerOptions,
    private readonly store: TaskStore,
  ) {}

  leader(): Leader | undefined {
    return this.current?.ready ? this.current : undefined;
  }

  leaderAddress(): string | undefined {
    // Elected and still recovering: there is no other leader to send anyone to (the detector may lag).
    if (this.current) return undefined;
    const address = this.detector?.leader?.address;
    return address === this.address ? undefined : address;
  }

  masters(): Array<{ address: string; path: string }> {
    return (this.detector?.masters ?? []).map((m) => ({ address: m.address, path: m.path }));
  }

  status(): Record<string, unknown> {
    const leader = this.leader();
    return {
      role: leader ? 'leader' : 'standby',
      address: this.address,
      leader: leader ? this.address : (this.leaderAddress() ?? null),
      electionNode: this.election?.nodePath ?? null,
      coordSession: this.client?.state ?? 'none',
      taskStore: this.store.kind,
      ...(leader ? { agents: leader.agents.all().length, frameworks: leader.frameworks.size, activeTasks: leader.tasks.size } : {}),
    };
  }

  /** Connects to the coordination service and runs for election (again after an expiry). */
  async join(): Promise<void> {
    const generation = ++this.generation;
    const { logger } = this.opts;
    const client = await CoordClient.connect(this.opts.coord, { sessionTimeoutMs: this.opts.sessionTimeoutMs, connectTimeoutMs: 30_000, logger: quiet(logger) });
    if (this.stopping) return void (await client.close());
    this.client = client;
    client.on('state', (s: string) => {
      if (s === 'expired' && generation === this.generation && !this.stopping) {
        logger.warn('coordination session expired');
        this.stepDown('session expired');
        void this.rejoin();
      }
    });
    this.detector = new LeaderDetector(client, this.opts.coordRoot);
    await this.detector.start();
    const data = encodeMasterData({ address: this.address, hostname: os.hostname(), pid: process.pid, startedAtMs: Date.now() });
    this.election = new MasterElection(client, mastersDir(this.opts.coordRoot), data, logger);
    this.election.on('elected', () => void this.becomeLeader(generation));
    this.election.on('lost', (reason: string) => this.stepDown(reason));
    await this.election.start();
    logger.info('joined the election', { electionNode: this.election.nodePath, leader: this.detector.leader?.address ?? null });
  }

  private async rejoin(): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        // The old session is expired: closing it can only fail, and nothing depends on it.
        await this.client?.close().catch((err: unknown) => this.opts.logger.debug('closing the expired session failed', { err }));
        await this.join();
        return;
      } catch (err) {
        this.opts.logger.warn('cannot rejoin the election', { attempt, err });
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 200 * 2 ** attempt)));
      }
    }
  }

  private async becomeLeader(generation: number): Promise<void> {
    const client = this.client;
    const fencePath = this.election?.nodePath;
    if (!client || !fencePath || generation !== this.generation || this.stopping) return;
    this.current?.stop(undefined);
    const epoch = sequenceOf(fencePath) ?? 0;
    const leader = new Leader(
      { ...this.opts, address: this.address },
      {
        registry: new AgentRegistry(client, this.opts.coordRoot, fencePath),
        store: this.store,
        logger: this.opts.logger.child({ term: epoch }),
        epoch,
        onFenced: (message) => this.stepDown(`fenced: ${message}`),
      },
    );
    this.current = leader;
    this.opts.logger.info('became leader', { electionNode: fencePath, address: this.address });
    try {
      await leader.start();
    } catch (err) {
      if (this.current !== leader) return;
      this.opts.logger.error('leader recovery failed; stepping down', { err });
      this.stepDown('recovery failed');
      await this.election?.restart();
    }
  }

  private stepDown(reason: string): void {
    const leader = this.current;
    if (!leader) return;
    this.current = undefined;
    leader.stop(this.leaderAddress());
    this.opts.logger.warn('lost leadership', { reason });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stepDown('shutting down');
    this.detector?.stop();
    await this.election?.resign();
    await this.client?.close();
  }
}

/** The coordination client's debug chatter stays out of the master's info log. */
function quiet(logger: Logger): { debug: (m: string, f?: Record<string, unknown>) => void; info: (m: string, f?: Record<string, unknown>) => void; warn: (m: string, f?: Record<string, unknown>) => void } {
  return {
    debug: (m, f) => logger.debug(`coord: ${m}`, f),
    info: (m, f) => logger.debug(`coord: ${m}`, f),
    warn: (m, f) => logger.warn(`coord: ${m}`, f),
  };
}
