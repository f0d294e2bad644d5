// A seeded random driver for the allocator: every public operation, valid and invalid, against a
// small cluster, with a model of the tasks the frameworks launched. Used for the no-double-
// allocation check and for determinism.

import { Allocator, GIB, Offer, PortRange, Resources, ResourcesInput, addResources, makeResources } from '../../../src/allocator';
import { newAllocator, prng } from './helpers';

export interface Task {
  readonly frameworkId: string;
  readonly agentId: string;
  readonly resources: Resources;
}

export interface Driver {
  readonly allocator: Allocator;
  /** Tasks the model believes are running. */
  readonly tasks: Task[];
  readonly agentIds: readonly string[];
  readonly frameworkIds: readonly string[];
  /** Runs one random operation; returns a line describing it and its outcome. */
  step(): string;
}

const AGENT_IDS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
const FRAMEWORK_IDS = ['f0', 'f1', 'f2', 'f3'];

export function createDriver(seed: number): Driver {
  const random = prng(seed);
  const allocator = newAllocator({ offerIdPrefix: `s${seed}` });
  const tasks: Task[] = [];
  const offers: Offer[] = [];
  let nowMs = 0;

  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T | undefined => (items.length === 0 ? undefined : items[int(items.length)]);
  const dropTasks = (keep: (t: Task) => boolean): void => {
    const kept = tasks.filter(keep);
    tasks.length = 0;
    tasks.push(...kept);
  };

  function randomTotal(): ResourcesInput {
    const begin = 1000 * (1 + int(30));
    return { cpusMilli: 500 * (1 + int(16)), memBytes: (1 + int(16)) * GIB, diskBytes: int(3) * GIB, gpus: int(2), ports: [{ begin, end: begin + int(20) }] };
  }

  /** Part of an offer: each scalar scaled by a random fraction, and some of its first range's ports. */
  function partOf(offer: Offer): Resources {
    const f = (v: number): number => Math.floor(v * random());
    const first: PortRange | undefined = offer.resources.ports[0];
    const ports = first === undefined || random() < 0.5 ? [] : [{ begin: first.begin, end: first.begin + int(first.end - first.begin + 1) }];
    const r = offer.resources;
    return makeResources({ cpusMilli: f(r.cpusMilli), memBytes: f(r.memBytes), diskBytes: f(r.diskBytes), gpus: int(r.gpus + 1), ports });
  }

  /** Mostly an outstanding offer; sometimes one already answered, rescinded or expired. */
  function pickOffer(): Offer | undefined {
    if (random() < 0.15) return pick(offers);
    return pick(offers.filter((o) => allocator.offer(o.offerId) !== undefined));
  }

  function accept(): string {
    const offer = pickOffer();
    if (offer === undefined) return 'accept: no offer';
    const overshoot = random() < 0.1;
    const used = overshoot ? addResources(offer.resources, makeResources({ cpusMilli: 1 })) : partOf(offer);
    const frameworkId = random() < 0.1 ? (pick(FRAMEWORK_IDS) as string) : offer.frameworkId;
    const filter = random() < 0.5 ? { refuseSeconds: int(10), nowMs } : undefined;
    const result = allocator.accept(offer.offerId, frameworkId, used, filter);
    if (result.ok) tasks.push({ frameworkId, agentId: offer.agentId, resources: used });
    return `accept ${offer.offerId} by ${frameworkId}: ${result.ok ? 'ok' : result.code}`;
  }

  function release(): string {
    const task = pick(tasks);
    if (task === undefined) return 'release: no task';
    const result = allocator.releaseTaskResources(task.frameworkId, task.agentId, task.resources);
    if (!result.ok) throw new Error(`releasing a running task failed: ${result.code} ${result.message}`);
    tasks.splice(tasks.indexOf(task), 1);
    return `release on ${task.agentId} by ${task.frameworkId}: ok`;
  }

  /**
   * The agent reports its tasks after some of them ended, and sometimes one the allocator did not
   * know of (launched before a master failover), taking free or offered resources.
   */
  function report(): string {
    const agentId = pick(AGENT_IDS) as string;
    const survivors = tasks.filter((t) => t.agentId === agentId && random() < 0.7);
    const view = allocator.agent(agentId);
    const frameworkId = pick(allocator.stats().frameworks.map((f) => f.frameworkId));
    if (view !== undefined && frameworkId !== undefined && random() < 0.3) {
      const f = (a: number, b: number): number => Math.floor((a + b) * random());
      const { available: free, offered } = view;
      const resources = makeResources({ cpusMilli: f(free.cpusMilli, offered.cpusMilli), memBytes: f(free.memBytes, offered.memBytes) });
      survivors.push({ frameworkId, agentId, resources });
    }
    const used = new Map<string, Resources>();
    for (const t of survivors) used.set(t.frameworkId, addResources(used.get(t.frameworkId) ?? makeResources({}), t.resources));
    const result = allocator.updateAgentUsed(agentId, used);
    if (result.ok) {
      dropTasks((t) => t.agentId !== agentId);
      tasks.push(...survivors);
    }
    return `report ${agentId}: ${result.ok ? `ok, rescinded ${result.rescinded.length}` : result.code}`;
  }

  const operations: [number, () => string][] = [
    [3, () => `addAgent: ${outcome(allocator.addAgent({ agentId: pick(AGENT_IDS) as string, total: randomTotal() }))}`],
    [1, () => removeAgent()],
    [1, () => `deactivateAgent: ${outcome(allocator.deactivateAgent(pick(AGENT_IDS) as string, random() < 0.5 ? 'draining' : 'unreachable'))}`],
    [1, () => `activateAgent: ${outcome(allocator.activateAgent(pick(AGENT_IDS) as string))}`],
    [2, () => `addFramework: ${outcome(allocator.addFramework({ frameworkId: pick(FRAMEWORK_IDS) as string, role: 'r', weight: 1 + int(3) }))}`],
    [1, () => removeFramework()],
    [1, () => `suppress: ${outcome(allocator.suppress(pick(FRAMEWORK_IDS) as string))}`],
    [1, () => `revive: ${outcome(allocator.revive(pick(FRAMEWORK_IDS) as string))}`],
    [1, () => `deactivateFramework: ${outcome(allocator.deactivateFramework(pick(FRAMEWORK_IDS) as string))}`],
    [1, () => `activateFramework: ${outcome(allocator.activateFramework(pick(FRAMEWORK_IDS) as string))}`],
    [6, () => allocate()],
    [6, accept],
    [3, () => decline()],
    [4, release],
    [1, report],
    [1, () => `expire: ${allocator.expireOffers(nowMs, int(5000)).map((o) => o.offerId).join(',')}`],
    [1, () => `rescindOn: ${allocator.rescindOffersOnAgent(pick(AGENT_IDS) as string).map((o) => o.offerId).join(',')}`],
  ];
  const weightTotal = operations.reduce((n, [w]) => n + w, 0);

  function allocate(): string {
    const made = allocator.allocate(nowMs);
    offers.push(...made);
    return `allocate@${nowMs}: ${made.map((o) => `${o.offerId}->${o.frameworkId}@${o.agentId}`).join(' ')}`;
  }

  function decline(): string {
    const offer = pickOffer();
    if (offer === undefined) return 'decline: no offer';
    return `decline ${offer.offerId}: ${outcome(allocator.decline(offer.frameworkId, { offerId: offer.offerId }, int(8), nowMs))}`;
  }

  function removeAgent(): string {
    const agentId = pick(AGENT_IDS) as string;
    const result = allocator.removeAgent(agentId);
    if (result.ok) dropTasks((t) => t.agentId !== agentId);
    return `removeAgent ${agentId}: ${outcome(result)}`;
  }

  function removeFramework(): string {
    const frameworkId = pick(FRAMEWORK_IDS) as string;
    const result = allocator.removeFramework(frameworkId);
    if (result.ok) dropTasks((t) => t.frameworkId !== frameworkId);
    return `removeFramework ${frameworkId}: ${outcome(result)}`;
  }

  function step(): string {
    nowMs += int(3000);
    let roll = int(weightTotal);
    for (const [weight, run] of operations) {
      if (roll < weight) return run();
      roll -= weight;
    }
    throw new Error('unreachable');
  }

  return { allocator, tasks, agentIds: AGENT_IDS, frameworkIds: FRAMEWORK_IDS, step };
}

function outcome(result: { ok: boolean; code?: string }): string {
  return result.ok ? 'ok' : (result.code ?? 'failed');
}
