// The leading master's state and its timers: the allocator, the books of agents, frameworks,
// tasks and offers, the registry and the task store. One Leader exists per leadership term; when
// leadership is lost it is stopped (every stream ended with a redirect) and thrown away, so a
// deposed master keeps no state that could act on the cluster.
import { randomBytes } from 'node:crypto';
import type { Logger } from '@ensemble/common';
import type { rmV1 } from '@ensemble/proto';
import { Allocator, Offer } from '../allocator';
import { DEFAULT_MASTER_LIMITS, MasterLimits } from '../limits';
import { notLeader, rmError } from '../rm-errors';
import { fromWire, toWire } from '../resource-codec';
import type { UpdateDecision } from '../task-state';
import { AgentBook } from './agent-book';
import { AgentRegistry } from './agent-registry';
import { FrameworkBook, FrameworkEntry } from './framework-book';
import { OfferBook } from './offer-book';
import { TaskBook } from './task-book';
import type { TaskRecord, TaskStore } from './task-store';
import { recoverFromRegistry } from './recovery';

export interface LeaderOptions {
  /** This master's advertised gRPC address. */
  readonly address: string;
  /** How often agents heartbeat (told to them in REGISTERED). */
  readonly agentHeartbeatIntervalMs: number;
  /** An agent silent (or disconnected) this long is unreachable. */
  readonly agentTimeoutMs: number;
  readonly frameworkHeartbeatIntervalMs: number;
  /** Cap on a framework's failover_timeout_ms. */
  readonly failoverTimeoutMaxMs: number;
  readonly allocationIntervalMs: number;
  /** Offers older than this are rescinded; 0: never. */
  readonly offerTimeoutMs: number;
  readonly limits?: Partial<MasterLimits>;
}

export interface LeaderDeps {
  readonly registry: AgentRegistry;
  readonly store: TaskStore;
  readonly logger: Logger;
  readonly clock?: () => number;
  /** A fenced write failed: this master is no longer the leader. */
  readonly onFenced: (message: string) => void;
  /** Distinguishes ids made in this term from every other term's. */
  readonly epoch: number;
}

export class Leader {
  readonly allocator: Allocator;
  readonly agents = new AgentBook();
  readonly frameworks = new FrameworkBook();
  readonly tasks: TaskBook;
  readonly offers: OfferBook;
  readonly registry: AgentRegistry;
  readonly store: TaskStore;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly limits: MasterLimits;
  readonly runId: string;
  private nextAgent = 1;
  private nextFramework = 1;
  private timers: NodeJS.Timeout[] = [];
  private allocationQueued = false;
  private stopped = false;
  private readyFlag = false;

  constructor(
    readonly opts: LeaderOptions,
    private readonly deps: LeaderDeps,
  ) {
    this.runId = `${deps.epoch.toString(36)}${randomBytes(3).toString('hex')}`;
    this.allocator = new Allocator({ offerIdPrefix: `${this.runId}-O` });
    this.offers = new OfferBook(this.allocator);
    this.registry = deps.registry;
    this.store = deps.store;
    this.logger = deps.logger;
    this.clock = deps.clock ?? Date.now;
    this.limits = { ...DEFAULT_MASTER_LIMITS, ...opts.limits };
    this.tasks = new TaskBook(this.store, this.clock);
  }

  get ready(): boolean {
    return this.readyFlag && !this.stopped;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Reads the registry and the task store, then starts allocating. */
  async start(): Promise<void> {
    await recoverFromRegistry(this);
    if (this.stopped) return;
    this.every(this.opts.allocationIntervalMs, () => this.runAllocation());
    this.every(this.opts.frameworkHeartbeatIntervalMs, () => this.frameworks.broadcast({ heartbeat: {} }));
    this.every(Math.max(50, Math.floor(this.opts.agentHeartbeatIntervalMs / 2)), () => this.sweepAgents());
    this.readyFlag = true;
    this.logger.info('leader ready', { runId: this.runId, agents: this.agents.all().length, tasks: this.tasks.size });
  }

  /** Ends every stream with a redirect to `leaderAddress` and forgets everything. */
  stop(leaderAddress: string | undefined): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    const redirect = notLeader(leaderAddress);
    for (const f of this.frameworks.all()) f.sink?.close(redirect);
    for (const a of this.agents.all()) a.sink?.close(redirect);
    this.frameworks.clear();
    this.agents.clear();
    this.tasks.clear();
  }

  fenced(message: string): void {
    this.logger.error('fenced out of the registry', { message });
    this.deps.onFenced(message);
  }

  newAgentId(): string {
    return `${this.runId}-S${this.nextAgent++}`;
  }

  newFrameworkId(): string {
    return `${this.runId}-F${this.nextFramework++}`;
  }

  private every(intervalMs: number, fn: () => void): void {
    this.timers.push(setInterval(fn, intervalMs));
  }

  /** Allocates on the next turn of the event loop (coalesced). */
  allocateSoon(): void {
    if (this.allocationQueued || this.stopped) return;
    this.allocationQueued = true;
    setImmediate(() => {
      this.allocationQueued = false;
      this.runAllocation();
    });
  }

  /** One allocation cycle: rescind expired offers, make new ones, send them per framework. */
  runAllocation(): void {
    if (this.stopped) return;
    const now = this.clock();
    if (this.opts.offerTimeoutMs > 0) this.rescinded(this.allocator.expireOffers(now, this.opts.offerTimeoutMs), 'the offer timed out');
    const byFramework = new Map<string, rmV1.Offer[]>();
    for (const offer of this.allocator.allocate(now)) {
      const list = byFramework.get(offer.frameworkId) ?? [];
      list.push(this.wireOffer(offer));
      byFramework.set(offer.frameworkId, list);
    }
    for (const [frameworkId, offers] of byFramework) {
      if (!this.frameworks.send(frameworkId, { offers: { offers } })) {
        // Not connected after all: give the offers back at once.
        for (const offer of offers) this.returnOffer(frameworkId, offer.offerId as string, 'the framework is not connected');
      }
    }
  }

  private wireOffer(offer: Offer): rmV1.Offer {
    const agent = this.agents.get(offer.agentId);
    return {
      offerId: offer.offerId,
      frameworkId: offer.frameworkId,
      agentId: offer.agentId,
      hostname: agent?.info.hostname ?? '',
      resources: toWire(offer.resources),
      attributes: agent?.info.attributes ?? {},
    };
  }

  private returnOffer(frameworkId: string, offerId: string, why: string): void {
    this.allocator.decline(frameworkId, { offerId }, 0, this.clock());
    this.offers.remember(offerId, why);
  }

  /** Offers the allocator took back: remembered, and RESCIND sent to their frameworks. */
  rescinded(offers: readonly Offer[], why: string): void {
    for (const offer of offers) {
      this.offers.remember(offer.offerId, why);
      this.frameworks.send(offer.frameworkId, { rescind: { offerId: offer.offerId } });
    }
  }

  /** A status for a task, made by the master itself. */
  masterStatus(record: Pick<TaskRecord, 'taskId' | 'frameworkId' | 'agentId'>, state: string, reason: string, message: string): rmV1.TaskStatus__Output {
    return {
      taskId: record.taskId,
      frameworkId: record.frameworkId,
      agentId: record.agentId,
      state: state as rmV1.TaskStatus__Output['state'],
      reason: reason as rmV1.TaskStatus__Output['reason'],
      message,
      signal: '',
      timestampMs: this.clock(),
      uuid: '',
      source: 'SOURCE_MASTER',
    };
  }

  /**
   * Applies a status update: the task state machine decides; an applied update is forwarded to
   * the framework as UPDATE, frees the task's resources when terminal, and is stored (awaited).
   */
  async recordStatus(status: rmV1.TaskStatus__Output): Promise<UpdateDecision> {
    const outcome = this.tasks.applyStatus(status);
    const { decision, record } = outcome;
    if (decision.action === 'apply' && record) {
      if (decision.terminal) this.releaseResources(record);
      const framework = this.frameworks.get(record.frameworkId);
      if (framework && !framework.tearingDown) this.frameworks.send(record.frameworkId, { update: { status } });
      if (decision.terminal && framework?.tearingDown) this.finishTeardownIfDone(framework);
    }
    await outcome.stored.catch((err: unknown) => this.logger.error('task store write failed', { taskId: status.taskId, err }));
    return decision;
  }

  releaseResources(record: TaskRecord): void {
    const released = this.allocator.releaseTaskResources(record.frameworkId, record.agentId, fromWire(record.info.resources));
    if (released.ok) this.allocateSoon();
    else this.logger.debug('resources not released', { taskId: record.taskId, code: released.code, message: released.message });
  }

  /** A framework being torn down goes away with its last task. */
  finishTeardownIfDone(framework: FrameworkEntry): void {
    if (this.tasks.ofFramework(framework.frameworkId).length > 0) return;
    const removed = this.allocator.removeFramework(framework.frameworkId);
    if (removed.ok) this.rescinded(removed.rescinded, 'the framework was removed');
    this.frameworks.delete(framework.frameworkId);
    this.logger.info('framework removed', { frameworkId: framework.frameworkId });
  }

  /** Agents that stopped heartbeating are treated as disconnected. */
  private sweepAgents(): void {
    const now = this.clock();
    for (const agent of this.agents.all()) {
      if (agent.sink && now - agent.lastHeartbeatMs > this.opts.agentTimeoutMs) {
        this.logger.warn('agent missed its heartbeats', { agentId: agent.agentId, silentMs: now - agent.lastHeartbeatMs });
        agent.sink.close(rmError('AGENT_DISCONNECTED', `no heartbeat for ${now - agent.lastHeartbeatMs}ms`));
      }
    }
  }
}
