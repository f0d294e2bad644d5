// Deterministic simulation of a Raft cluster (TigerBeetle VOPR / FoundationDB style): the real
// core, a simulated network, disk and clock, clients, and faults drawn from one seeded PRNG.
// A safety phase runs with faults on; a liveness phase then heals everything and requires a
// leader and convergence within a bound. The checkers run throughout.
import { AssertionError } from '../assert';
import type { Message, NodeId, Ready } from '../types';
import { Checker, SimViolation, type LeaderView, type Violation } from './checker';
import { Clients, type ClientStats } from './clients';
import { CALM, faultProfile, profileForSeed, type Faults } from './faults';
import { SimNetwork, type NetworkStats } from './network';
import { Prng } from './prng';
import { SimNode, type NodeTuning } from './sim-node';
import { describeMessage, Trace } from './trace';

export interface SimOptions {
  seed: number;
  /** Cluster size (default 3). */
  nodes?: number;
  /** Time units of the safety phase (default 1000). */
  steps?: number;
  /** Bound on the liveness phase, in time units (default 2000). */
  livenessSteps?: number;
  /** Fault profile (calm, lossy, partitions, crashes, chaos); default: chosen by the seed. */
  profile?: string;
  /** Overrides on top of the profile. */
  faults?: Partial<Faults>;
  clients?: number;
  /** Per client and time unit. */
  writeRate?: number;
  readRate?: number;
  trace?: boolean;
  onTrace?: (line: string) => void;
  traceTailLines?: number;
  /** A deliberately broken shell that sends before it persists: the checkers must catch it. */
  sendBeforePersist?: boolean;
}

export interface SimStats {
  profile: string;
  nodes: number;
  units: number;
  livenessUnits: number;
  maxTerm: number;
  leadersElected: number;
  committed: number;
  crashes: number;
  tornWrites: number;
  partitions: number;
  transfers: number;
  snapshotsSent: number;
  compactions: number;
  clients: ClientStats;
  network: NetworkStats;
}

export type SimResult =
  | { ok: true; seed: number; stats: SimStats }
  | { ok: false; seed: number; violation: Violation; traceTail: string[]; replay: string; stats: SimStats };

/** Time units per node clock tick; message delays are a few units, so a tick is a round trip. */
const TICK_UNITS = 4;
const STEPS_DEFAULT = 1000;
const LIVENESS_STEPS_DEFAULT = 2000;
const TRACE_TAIL_DEFAULT = 60;
const NODES_MAX = 9;

/** Flow-control settings vary by seed: one entry per message and a window of one are where replication is most fragile. */
function tuningFor(rng: Prng): NodeTuning {
  return {
    electionTicks: 10,
    heartbeatTicks: 1,
    maxEntriesPerMsg: rng.pick([1, 2, 8, 64]),
    maxInflightMsgs: rng.pick([1, 4, 16]),
    maxSizePerMsg: rng.pick([8, 4096]),
    // Off, followers learn commit indexes from later appends and heartbeats only.
    broadcastCommit: rng.pick([true, false]),
  };
}

/** The command that replays `opts` exactly (every option that shapes a run is on it). */
export function replayCommand(opts: SimOptions, profile: string): string {
  const parts = ['node packages/consensus/dist/sim/cli.js', `--seed ${opts.seed}`, `--nodes ${opts.nodes ?? 3}`,
    `--steps ${opts.steps ?? STEPS_DEFAULT}`, `--profile ${profile}`];
  if (opts.livenessSteps !== undefined) parts.push(`--liveness-steps ${opts.livenessSteps}`);
  if (opts.clients !== undefined) parts.push(`--clients ${opts.clients}`);
  if (opts.writeRate !== undefined) parts.push(`--write-rate ${opts.writeRate}`);
  if (opts.readRate !== undefined) parts.push(`--read-rate ${opts.readRate}`);
  for (const [key, value] of Object.entries(opts.faults ?? {})) parts.push(`--fault ${key}=${value}`);
  if (opts.sendBeforePersist === true) parts.push('--send-before-persist');
  parts.push('--verbose');
  return parts.join(' ');
}

export function runSimulation(opts: SimOptions): SimResult {
  const result = new Simulation(opts).run();
  if (!result.ok && opts.trace !== true) {
    // Runs replay exactly: run the failing seed again with the trace on to show how it got there.
    const again = new Simulation({ ...opts, trace: true, onTrace: undefined }).run();
    if (!again.ok) return { ...result, traceTail: again.traceTail };
  }
  return result;
}

class Simulation {
  private readonly rng: Prng;
  private readonly profile: string;
  private readonly faults: Faults;
  private readonly nodes: SimNode[];
  private readonly network: SimNetwork;
  private readonly checker: Checker;
  private readonly clients: Clients;
  private readonly trace: Trace;
  private readonly tickPhase: number[];
  private now = 0;
  private readonly counts = { crashes: 0, tornWrites: 0, partitions: 0, transfers: 0, snapshotsSent: 0, compactions: 0 };
  private livenessUnits = 0;

  constructor(private readonly opts: SimOptions) {
    this.rng = new Prng(opts.seed);
    this.profile = opts.profile ?? profileForSeed(opts.seed);
    const base = faultProfile(this.profile);
    if (base === undefined) throw new Error(`unknown fault profile ${this.profile}`);
    this.faults = { ...base, ...opts.faults };
    const size = opts.nodes ?? 3;
    if (!Number.isInteger(size) || size < 1 || size > NODES_MAX) throw new Error(`nodes must be 1..${NODES_MAX}, got ${size}`);
    const ids = Array.from({ length: size }, (_, k) => k + 1);
    const tuning = tuningFor(this.rng);
    this.nodes = ids.map((id) => new SimNode(id, ids, tuning));
    this.tickPhase = ids.map(() => this.rng.int(TICK_UNITS));
    this.network = new SimNetwork(this.rng.fork(), this.faults);
    this.checker = new Checker(() => this.leaders());
    this.trace = new Trace(opts.trace === true, opts.traceTailLines ?? TRACE_TAIL_DEFAULT, opts.onTrace);
    this.clients = new Clients(opts.clients ?? 3, ids, this.rng.fork(), this.checker, (id) => this.node(id).raft,
      (text) => this.trace.add(this.now, text));
  }

  run(): SimResult {
    try {
      for (const n of this.nodes) this.boot(n);
      const steps = this.opts.steps ?? STEPS_DEFAULT;
      for (let u = 0; u < steps; u++) this.unit(true);
      this.livenessPhase();
      this.checker.checkFinal(this.nodes.map((n) => ({ id: n.id, commit: n.raft?.commitIndex ?? 0, log: n.raft as NonNullable<SimNode['raft']> })));
      return { ok: true, seed: this.opts.seed, stats: this.stats() };
    } catch (err) {
      return this.failure(err);
    }
  }

  private failure(err: unknown): SimResult {
    let violation: Violation;
    if (err instanceof SimViolation) violation = err.violation;
    else if (err instanceof AssertionError) violation = { kind: 'assertion', message: `core: ${err.message}` };
    else if (err instanceof Error) violation = { kind: 'assertion', message: `simulator: ${err.message}` };
    else throw err;
    this.trace.add(this.now, () => `VIOLATION ${violation.kind}: ${violation.message}`);
    return {
      ok: false, seed: this.opts.seed, violation, traceTail: this.trace.tail(),
      replay: replayCommand(this.opts, this.profile), stats: this.stats(),
    };
  }

  private node(id: NodeId): SimNode {
    return this.nodes[id - 1] as SimNode;
  }

  private leaders(): LeaderView[] {
    const out: LeaderView[] = [];
    for (const n of this.nodes) if (n.raft !== undefined && n.raft.role === 'leader') out.push({ id: n.id, term: n.raft.term, log: n.raft });
    return out;
  }

  /** One time unit: faults, deliveries, clock ticks, clients, then one Ready per node. */
  private unit(faulty: boolean): void {
    if (faulty) this.injectFaults();
    this.deliver();
    this.tickNodes(faulty);
    if (faulty) this.clients.act(this.now, this.opts.writeRate ?? 0.12, this.opts.readRate ?? 0.04);
    for (const n of this.nodes) if (n.raft !== undefined) this.processReady(n, faulty);
    this.clients.expire(this.now);
    this.now++;
  }

  // ---------------------------------------------------------------- faults

  private injectFaults(): void {
    const f = this.faults;
    if (this.network.isPartitioned()) {
      if (this.rng.chance(f.healRate)) this.heal();
    } else if (this.rng.chance(f.partitionRate)) {
      this.counts.partitions++;
      const cut = this.network.partition(this.nodes.map((n) => n.id), this.rng.chance(f.asymmetricShare));
      this.trace.add(this.now, () => `partition ${cut}`);
    }
    if (this.rng.chance(f.crashRate)) this.crashSome();
    if (this.rng.chance(f.restartRate)) {
      const down = this.nodes.filter((n) => !n.up);
      if (down.length > 0) this.boot(this.rng.pick(down));
    }
    if (this.rng.chance(f.transferRate)) this.transferSome();
  }

  private heal(): void {
    this.network.heal();
    this.trace.add(this.now, () => 'partition healed');
  }

  /** Half the crashes hit a leader: leader changes are where replication goes wrong. */
  private crashSome(): void {
    const leaders = this.leaders();
    if (leaders.length > 0 && this.rng.chance(0.5)) {
      this.crashMidWrite(this.node(this.rng.pick(leaders).id));
      return;
    }
    const up = this.nodes.filter((n) => n.up);
    if (up.length > 0) this.crashMidWrite(this.rng.pick(up));
  }

  /** A crash while an fsync is in flight keeps only a prefix of the write (a torn write). */
  private crashMidWrite(n: SimNode): void {
    const buffered = n.disk.bufferedRecords();
    if (buffered > 0) this.counts.tornWrites++;
    this.crash(n, this.rng.int(buffered + 1));
  }

  private crash(n: SimNode, keepBuffered: number): void {
    this.counts.crashes++;
    const lost = this.rng.chance(this.faults.powerLossShare) ? this.network.dropFrom(n.id) : 0;
    const torn = keepBuffered > 0 ? ` keeping ${keepBuffered} unsynced records` : '';
    this.trace.add(this.now, () => `n${n.id} crash${torn}${lost > 0 ? `, ${lost} messages in flight lost` : ''}`);
    n.crash(keepBuffered);
    this.clients.onCrash(n.id);
  }

  private boot(n: SimNode): void {
    const random = this.rng.fork();
    n.boot(() => random.next());
    this.checker.observeStateMachine(n.id, n.sm.index, n.sm.hash);
    const raft = n.raft as NonNullable<SimNode['raft']>;
    this.trace.add(this.now, () => `n${n.id} boot term=${raft.term} last=${raft.lastIndex()} commit=${raft.commitIndex} snapshot=${raft.snapshotIndex()}`);
  }

  private transferSome(): void {
    const leaders = this.leaders();
    if (leaders.length === 0) return;
    const from = this.rng.pick(leaders);
    const to = this.rng.pick(this.nodes.filter((n) => n.id !== from.id)).id;
    const res = this.node(from.id).raft?.transferLeadership(to);
    if (res?.ok) this.counts.transfers++;
    this.trace.add(this.now, () => `n${from.id} transfer leadership to n${to}: ${res?.ok ? 'ok' : res?.code}`);
  }

  // ---------------------------------------------------------------- network and clock

  private deliver(): void {
    const { delivered, cut } = this.network.due(this.now);
    for (const m of cut) this.undeliverable(m, 'cut');
    for (const m of delivered) {
      const target = this.node(m.to);
      if (target.raft === undefined) {
        this.undeliverable(m, 'target down');
        continue;
      }
      this.trace.add(this.now, () => `deliver ${describeMessage(m)}`);
      target.raft.step(m);
      this.observe(target);
      if (m.type === 'snapshot') this.node(m.from).raft?.reportSnapshot(m.to, true);
    }
  }

  /** The sender's transport notices the failure (a real one would, by error or timeout). */
  private undeliverable(m: Message, why: string): void {
    this.trace.add(this.now, () => `drop (${why}) ${describeMessage(m)}`);
    const sender = this.node(m.from).raft;
    if (sender === undefined) return;
    if (m.type === 'snapshot') sender.reportSnapshot(m.to, false);
    else if (m.type === 'append') sender.reportUnreachable(m.to);
  }

  private tickNodes(faulty: boolean): void {
    for (const n of this.nodes) {
      if (n.raft === undefined || (this.now + (this.tickPhase[n.id - 1] as number)) % TICK_UNITS !== 0) continue;
      let ticks = 1;
      if (faulty && this.rng.chance(this.faults.clockDriftRate)) ticks = this.rng.chance(0.5) ? 0 : 2;
      for (let k = 0; k < ticks; k++) n.raft.tick();
      this.observe(n);
    }
  }

  private observe(n: SimNode): void {
    const raft = n.raft;
    if (raft !== undefined) this.checker.observeRole(n.id, raft.role, raft.term, raft);
  }

  // ---------------------------------------------------------------- the shell's Ready loop

  /**
   * etcd order: persist (fsync) -> send -> apply -> advance. The fsync may take a few time units,
   * during which the node keeps stepping messages and ticking (an asynchronous shell); a crash
   * meanwhile tears the write.
   */
  private processReady(n: SimNode, faulty: boolean): void {
    const pending = n.pendingReady;
    if (pending !== undefined) {
      if (this.now < pending.doneAt) {
        // Like the service's driver: heartbeats do not wait behind a slow fsync.
        this.send((n.raft as NonNullable<SimNode['raft']>).takeHeartbeats(n.disk.durableTerm));
        return;
      }
      n.pendingReady = undefined;
      this.completeReady(n, pending.rd, faulty);
      if (n.raft === undefined) return;
    }
    const raft = n.raft as NonNullable<SimNode['raft']>;
    const rd = raft.ready();
    if (rd === null) return;
    const first = rd.entries[0];
    if (first !== undefined) this.checker.observeAppend(n.id, rd.entries, raft.logTerm(first.index - 1) as number);
    const soft = rd.softState;
    if (soft !== undefined) this.trace.add(this.now, () => `n${n.id} ${soft.role} term=${raft.term} leader=n${soft.leaderId}`);
    n.disk.write(rd);
    if (this.opts.sendBeforePersist === true) this.send(rd.messages);
    const delay = faulty ? this.rng.range(0, this.faults.fsyncDelayMaxUnits) : 0;
    if (delay > 0) n.pendingReady = { rd, doneAt: this.now + delay };
    else this.completeReady(n, rd, faulty);
  }

  private completeReady(n: SimNode, rd: Ready, faulty: boolean): void {
    const raft = n.raft as NonNullable<SimNode['raft']>;
    if (faulty && rd.mustSync && this.rng.chance(this.faults.tornWriteRate)) {
      this.counts.tornWrites++;
      this.crash(n, this.rng.int(n.disk.bufferedRecords() + 1));
      return;
    }
    n.disk.fsync();
    if (this.opts.sendBeforePersist !== true) this.send(rd.messages);
    this.apply(n, rd);
    raft.advance(rd);
    this.observe(n);
    if (faulty && rd.committed.length > 0 && raft.role === 'leader' && this.rng.chance(this.faults.leaderCommitCrashRate)) {
      this.crash(n, 0);
      return;
    }
    const every = this.faults.compactEveryEntries;
    if (every > 0 && n.sm.index - raft.snapshotIndex() >= every && n.compact()) {
      this.counts.compactions++;
      this.trace.add(this.now, () => `n${n.id} compact at ${n.sm.index}`);
    }
  }

  private send(messages: Message[]): void {
    for (const m of messages) {
      if (m.type === 'snapshot') this.counts.snapshotsSent++;
      if (this.network.send(m, this.now)) continue;
      this.trace.add(this.now, () => `lost ${describeMessage(m)}`);
      if (m.type === 'snapshot') this.node(m.from).raft?.reportSnapshot(m.to, false);
    }
  }

  private apply(n: SimNode, rd: Ready): void {
    const raft = n.raft as NonNullable<SimNode['raft']>;
    const snapshot = rd.snapshot;
    if (snapshot !== undefined) {
      n.applySnapshot(snapshot);
      this.checker.observeStateMachine(n.id, n.sm.index, n.sm.hash);
      this.trace.add(this.now, () => `n${n.id} installed snapshot ${snapshot.index}/${snapshot.term}`);
    }
    for (const e of rd.committed) {
      n.apply(e);
      this.checker.observeApply(n.id, e, raft.term);
      this.clients.onApply(n.id, e);
    }
    for (const rs of rd.readStates) this.clients.onReadState(n.id, rs);
  }

  // ---------------------------------------------------------------- liveness

  /** Heals everything, then requires a leader, a fresh write acknowledged, and convergence. */
  private livenessPhase(): void {
    this.network.heal();
    this.network.setFaults({ ...CALM });
    for (const n of this.nodes) if (!n.up) this.boot(n);
    this.trace.add(this.now, () => 'liveness phase: network healed, all nodes up');
    const bound = this.opts.livenessSteps ?? LIVENESS_STEPS_DEFAULT;
    let value = '';
    for (let u = 0; u < bound; u++) {
      this.unit(false);
      this.livenessUnits = u + 1;
      const ackedAt = value === '' ? undefined : this.checker.ackedIndex(value);
      if (ackedAt === undefined) {
        if (value === '' || !this.clients.isPending(value)) value = this.proposeFinal(u) ?? value;
      } else if (this.converged(ackedAt)) {
        this.trace.add(this.now, () => `converged at commit ${ackedAt}+ after ${u + 1} units`);
        return;
      }
    }
    throw new SimViolation({ kind: 'liveness', message: `no convergence within ${bound} units after healing (${this.describeCluster()})` });
  }

  private proposeFinal(attempt: number): string | undefined {
    const leader = this.nodes.find((n) => n.raft !== undefined && n.raft.role === 'leader'
      && n.raft.logTerm(n.raft.commitIndex) === n.raft.term);
    if (leader === undefined) return undefined;
    const value = `final-${this.opts.seed}-${attempt}`;
    return this.clients.proposeAt(leader.id, this.now, value) === 'OK' ? value : undefined;
  }

  private converged(index: number): boolean {
    const commits = new Set<number>();
    for (const n of this.nodes) {
      if (n.raft === undefined || n.sm.index !== n.raft.commitIndex || n.raft.commitIndex < index) return false;
      commits.add(n.raft.commitIndex);
    }
    return commits.size === 1;
  }

  private describeCluster(): string {
    return this.nodes.map((n) => {
      const r = n.raft;
      return r === undefined ? `n${n.id} down` : `n${n.id} ${r.role} t${r.term} commit=${r.commitIndex} applied=${n.sm.index} last=${r.lastIndex()}`;
    }).join('; ');
  }

  private stats(): SimStats {
    return {
      profile: this.profile,
      nodes: this.nodes.length,
      units: this.now,
      livenessUnits: this.livenessUnits,
      maxTerm: Math.max(...this.nodes.map((n) => n.raft?.term ?? 0)),
      leadersElected: this.checker.leadersElected(),
      committed: this.checker.committedLength(),
      ...this.counts,
      clients: { ...this.clients.stats },
      network: { ...this.network.stats },
    };
  }
}
