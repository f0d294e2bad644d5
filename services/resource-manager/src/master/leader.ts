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
import { markUnreachable } from './agent-calls';
import { RateLimit, TokenBucket } from './rate-limiter';
import { recoverFromRegistry } from './recovery';
import { UpdateOutbox } from './update-outbox';

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
  /** At most this many agents marked unreachable per period; undefined: no limit. */
  readonly agentUnreachableRate?: RateLimit;
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
  /** This term's election sequence number, written into the registry entries it writes. */
  readonly epoch: number;
  private readonly unreachableBucket: TokenBucket;
  /** Agents waiting for a permit to be marked unreachable, with why (insertion order = first come). */
  private readonly unreachableQueue = new Map<string, string>();
  private unreachableTimer: NodeJS.Timeout | undefined;
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
    this.epoch = deps.epoch;
    this.unreachableBucket = new TokenBucket(opts.agentUnreachableRate, this.clock());
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
    clearTimeout(this.unreachableTimer);
    this.unreachableQueue.clear();
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
   * Applies a status update: the task state machine decides; an applied update frees the task's
   * resources when terminal and is stored (awaited). `forward`: the master's own updates go to
   * the framework here; an agent's go through deliverUpdate, applied or not (the framework must
   * see and acknowledge every one).
   */
  async recordStatus(status: rmV1.TaskStatus__Output, opts: { forward: boolean } = { forward: true }): Promise<UpdateDecision> {
    const outcome = this.tasks.applyStatus(status);
    const { decision, record } = outcome;
    if (decision.action === 'apply' && record) {
      if (decision.terminal) this.releaseResources(record);
      if (opts.forward) this.deliverUpdate(status);
      const framework = this.frameworks.get(record.frameworkId);
      if (decision.terminal && framework?.tearingDown) this.finishTeardownIfDone(framework);
    }
    await outcome.stored.catch((err: unknown) => this.logger.error('task store write failed', { taskId: status.taskId, err }));
    return decision;
  }

  /**
   * Sends an update to its framework, holding it (see UpdateOutbox) while it is unacknowledged or
   * the framework is away. A framework that is gone (torn down, or unknown) cannot acknowledge:
   * the master does so in its place, so that the agent stops resending (Mesos drops them too).
   */
  deliverUpdate(status: rmV1.TaskStatus__Output): void {
    const framework = this.frameworks.get(status.frameworkId);
    if (!framework || framework.tearingDown) {
      if (status.uuid) this.agents.send(status.agentId, { statusAck: { taskId: status.taskId, uuid: status.uuid } });
      return;
    }
    const dropped = framework.outbox.put(status);
    if (dropped) this.logger.warn('framework outbox full: oldest update dropped', { frameworkId: framework.frameworkId, taskId: dropped.taskId });
    if (framework.sink?.send({ update: { status } })) framework.outbox.delivered(status);
  }

  /** A new outbox for a framework entry, bounded by the master's limit. */
  newOutbox(): UpdateOutbox {
    return new UpdateOutbox(this.limits.outboxUpdatesMax);
  }

  /**
   * Marks an agent unreachable as soon as the rate limit allows (Mesos: agent removal rate
   * limit). When its permit comes, an agent that came back meanwhile is left alone.
   */
  requestUnreachable(agentId: string, why: string): void {
    if (this.stopped || this.unreachableQueue.has(agentId)) return;
    this.unreachableQueue.set(agentId, why);
    this.drainUnreachable();
  }

  private drainUnreachable(): void {
    clearTimeout(this.unreachableTimer);
    this.unreachableTimer = undefined;
    for (const [agentId, why] of this.unreachableQueue) {
      const agent = this.agents.get(agentId);
      if (!agent || agent.sink || (agent.state !== 'admitted' && agent.state !== 'draining')) {
        this.unreachableQueue.delete(agentId);
        continue;
      }
      const now = this.clock();
      if (!this.unreachableBucket.tryTake(now)) {
        this.logger.warn('marking agents unreachable is rate limited', { waiting: this.unreachableQueue.size });
        this.unreachableTimer = setTimeout(() => this.drainUnreachable(), Math.max(1, this.unreachableBucket.nextAtMs(now) - now));
        return;
      }
      this.unreachableQueue.delete(agentId);
      void markUnreachable(this, agent, why);
    }
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

  /**
   * An agent silent for the agent timeout (partitioned, paused, dead without a TCP reset) loses
   * its stream and is marked unreachable (Mesos: health checks of agents by the master).
   */
  private sweepAgents(): void {
    const now = this.clock();
    for (const agent of this.agents.all()) {
      if (agent.sink && now - agent.lastHeartbeatMs > this.opts.agentTimeoutMs) {
        const silentMs = now - agent.lastHeartbeatMs;
        this.logger.warn('agent missed its heartbeats', { agentId: agent.agentId, silentMs });
        agent.sink.close(rmError('AGENT_DISCONNECTED', `no heartbeat for ${silentMs}ms`));
        this.requestUnreachable(agent.agentId, `no heartbeat for ${silentMs}ms`);
      }
    }
  }
}
