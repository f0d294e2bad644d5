// Random histories that are linearizable by construction: clients call a simulated sequential
// znode store (written here independently of the checker's model), each operation takes effect
// at one instant between its call and its return, and the calls are recorded through the
// HistoryRecorder. Some outcomes are lost (taking effect later, or never); some reads are
// served by a lagging server, as ZooKeeper followers serve them.

import { HistoryRecorder } from '../../../src/history-recorder';
import type { History, Operation, ZnodeInput, ZnodeOutput } from '../../../src/history';
import { Prng } from './prng';

export interface GeneratorOptions {
  readonly seed: number;
  readonly clients: number;
  readonly opsPerClient: number;
  readonly keys: number;
  /** Fraction of operations whose outcome the client never learns. */
  readonly unknownRate?: number;
  /** Fraction of reads marked 'sequential' and served from a possibly stale state. */
  readonly sequentialReadRate?: number;
}

interface NodeState {
  readonly exists: boolean;
  readonly data: string;
  readonly version: number;
}

type Fate = 'known' | 'unknown-applied' | 'unknown-never';

interface InFlight {
  readonly token: number;
  readonly key: string;
  readonly input: ZnodeInput;
  readonly sequential: boolean;
  readonly fate: Fate;
  applied?: { output: ZnodeOutput; stateIndex: number };
}

interface Client {
  readonly id: number;
  remaining: number;
  inFlight: InFlight | null;
  /** Per key: the newest state index this client's completed operations saw or made. */
  readonly floor: Map<string, number>;
  /** Per key: the last version it saw, to aim conditional writes at. */
  readonly seenVersion: Map<string, number>;
}

const ABSENT: NodeState = { exists: false, data: '', version: 0 };

/** The store: every state each key has been in, newest last. */
class SequentialStore {
  private readonly states = new Map<string, NodeState[]>();

  current(key: string): number {
    return this.timeline(key).length - 1;
  }

  at(key: string, index: number): NodeState {
    return this.timeline(key)[index];
  }

  /** Applies a write or a linearizable read at the current state. */
  apply(key: string, input: ZnodeInput): { output: ZnodeOutput; stateIndex: number } {
    const s = this.at(key, this.current(key));
    const result = execute(s, input);
    if (result.next !== s) this.timeline(key).push(result.next);
    return { output: result.output, stateIndex: this.current(key) };
  }

  private timeline(key: string): NodeState[] {
    let list = this.states.get(key);
    if (list === undefined) this.states.set(key, (list = [ABSENT]));
    return list;
  }
}

function execute(s: NodeState, input: ZnodeInput): { output: ZnodeOutput; next: NodeState } {
  const versionOk = (v: number): boolean => v === -1 || v === s.version;
  switch (input.op) {
    case 'create':
      return s.exists ? { output: { ok: false, code: 'NODE_EXISTS' }, next: s }
        : { output: { ok: true }, next: { exists: true, data: input.data, version: 0 } };
    case 'set':
      if (!s.exists) return { output: { ok: false, code: 'NO_NODE' }, next: s };
      if (!versionOk(input.version)) return { output: { ok: false, code: 'BAD_VERSION' }, next: s };
      return { output: { ok: true, version: s.version + 1 }, next: { exists: true, data: input.data, version: s.version + 1 } };
    case 'delete':
      if (!s.exists) return { output: { ok: false, code: 'NO_NODE' }, next: s };
      if (!versionOk(input.version)) return { output: { ok: false, code: 'BAD_VERSION' }, next: s };
      return { output: { ok: true }, next: ABSENT };
    case 'get':
      return { output: s.exists ? { ok: true, data: s.data, version: s.version } : { ok: false, code: 'NO_NODE' }, next: s };
    case 'exists':
      return { output: s.exists ? { ok: true, exists: true, version: s.version } : { ok: true, exists: false }, next: s };
  }
}

interface Sim {
  readonly rng: Prng;
  readonly store: SequentialStore;
  readonly recorder: HistoryRecorder;
  readonly options: GeneratorOptions;
  /** Requests whose client gave up; they may still take effect. */
  readonly orphans: InFlight[];
  dataCount: number;
}

export function generateHistory(options: GeneratorOptions): History {
  let nowMs = 0;
  const sim: Sim = {
    rng: new Prng(options.seed), store: new SequentialStore(), recorder: new HistoryRecorder(() => nowMs),
    options, orphans: [], dataCount: 0,
  };
  const clients: Client[] = Array.from({ length: options.clients }, (_, id) =>
    ({ id, remaining: options.opsPerClient, inFlight: null, floor: new Map(), seenVersion: new Map() }));
  const actionsMax = options.clients * options.opsPerClient * 4 + 1000;
  for (let n = 0; n < actionsMax; n++) {
    const busy = clients.filter((c) => c.remaining > 0 || c.inFlight !== null);
    if (busy.length === 0 && sim.orphans.length === 0) return sim.recorder.history();
    if (sim.rng.chance(0.8)) nowMs += 1 + sim.rng.int(3); // sometimes events share an instant
    const pick = sim.rng.int(busy.length + sim.orphans.length);
    if (pick < busy.length) stepClient(busy[pick], sim);
    else applyOrphan(sim, pick - busy.length);
  }
  throw new Error('generator: did not finish within its action bound');
}

function stepClient(c: Client, sim: Sim): void {
  const f = c.inFlight;
  if (f === null) {
    c.remaining--;
    c.inFlight = callOp(c, sim);
  } else if (f.fate !== 'known') {
    timeOut(c, f, sim);
  } else if (f.applied === undefined) {
    f.applied = f.sequential ? staleRead(c, f, sim) : sim.store.apply(f.key, f.input);
  } else {
    sim.recorder.end(f.token, f.applied.output);
    c.floor.set(f.key, Math.max(c.floor.get(f.key) ?? 0, f.applied.stateIndex));
    const seen = sim.store.at(f.key, f.applied.stateIndex);
    if (seen.exists) c.seenVersion.set(f.key, seen.version);
    c.inFlight = null;
  }
}

/** A request whose answer is lost: it takes effect before the client gives up, after, or never. */
function timeOut(c: Client, f: InFlight, sim: Sim): void {
  const pendingEffect = f.fate === 'unknown-applied' && f.applied === undefined;
  if (pendingEffect && sim.rng.chance(0.5)) {
    f.applied = sim.store.apply(f.key, f.input);
    return;
  }
  sim.recorder.endUnknown(f.token);
  if (pendingEffect) sim.orphans.push(f);
  c.inFlight = null;
}

function applyOrphan(sim: Sim, i: number): void {
  const [f] = sim.orphans.splice(i, 1);
  sim.store.apply(f.key, f.input);
}

/** A follower's answer: any state from what this client already saw up to the newest. */
function staleRead(c: Client, f: InFlight, sim: Sim): { output: ZnodeOutput; stateIndex: number } {
  const floor = c.floor.get(f.key) ?? 0;
  const stateIndex = floor + sim.rng.int(sim.store.current(f.key) - floor + 1);
  return { output: execute(sim.store.at(f.key, stateIndex), f.input).output, stateIndex };
}

function callOp(c: Client, sim: Sim): InFlight {
  const { rng, options } = sim;
  const key = `/k${rng.int(options.keys)}`;
  const input = randomInput(c, key, sim);
  const read = input.op === 'get' || input.op === 'exists';
  const sequential = read && rng.chance(options.sequentialReadRate ?? 0);
  const unknown = rng.chance(options.unknownRate ?? 0);
  const fate: Fate = !unknown ? 'known' : rng.chance(0.5) ? 'unknown-applied' : 'unknown-never';
  const token = sim.recorder.begin(c.id, key, input, sequential ? 'sequential' : undefined);
  return { token, key, input, sequential, fate };
}

function randomInput(c: Client, key: string, sim: Sim): ZnodeInput {
  const { rng } = sim;
  const version = rng.chance(0.5) ? -1 : (c.seenVersion.get(key) ?? 0) + (rng.chance(0.2) ? 1 : 0);
  const r = rng.next();
  if (r < 0.15) return { op: 'create', data: `c${c.id}-${sim.dataCount++}` };
  if (r < 0.45) return { op: 'set', data: `c${c.id}-${sim.dataCount++}`, version };
  if (r < 0.55) return { op: 'delete', version };
  if (r < 0.85) return { op: 'get' };
  return { op: 'exists' };
}

/** Replaces the data of one successful read with a value no one ever wrote. */
export function corruptOneRead(history: History, seed: number): { history: History; index: number } | null {
  const reads = history
    .map((op, index) => ({ op, index }))
    .filter(({ op }) => op.input.op === 'get' && op.output !== null && op.output.ok && op.output.data !== undefined);
  if (reads.length === 0) return null;
  const { op, index } = new Prng(seed).pick(reads);
  const corrupted: Operation = { ...op, output: { ...(op.output as ZnodeOutput & { ok: true }), data: 'never-written' } };
  return { history: history.map((o, i) => (i === index ? corrupted : o)), index };
}

const succeeded = (o: Operation): boolean => o.output !== null && o.output.ok;
const writesData = (o: Operation): o is Operation & { input: { data: string } } => o.input.op === 'create' || o.input.op === 'set';

/**
 * Makes one linearizable read return the data of a write W that a later successful write X
 * overwrote before the read was called (W returned before X's call, X before the read's).
 * Data is unique per write, so no order explains it: a stale read, caught only by the search.
 */
export function staleOneRead(history: History, seed: number): { history: History; index: number } | null {
  const rng = new Prng(seed);
  const reads = history.map((op, index) => ({ op, index }))
    .filter(({ op }) => op.input.op === 'get' && succeeded(op) && op.consistency !== 'sequential');
  for (let tries = 0; tries < reads.length; tries++) {
    const { op: read, index } = rng.pick(reads);
    const sameKey = history.filter((o) => o.key === read.key && succeeded(o) && o.input.op !== 'get' && o.input.op !== 'exists');
    const overwrite = sameKey.find((x) => x.returnMs < read.callMs
      && sameKey.some((w) => writesData(w) && w.returnMs < x.callMs));
    if (overwrite === undefined) continue;
    const stale = sameKey.find((w) => writesData(w) && w.returnMs < overwrite.callMs) as Operation & { input: { data: string } };
    const corrupted: Operation = { ...read, output: { ok: true, data: stale.input.data } };
    return { history: history.map((o, i) => (i === index ? corrupted : o)), index };
  }
  return null;
}
