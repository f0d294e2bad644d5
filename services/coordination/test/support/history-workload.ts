// Concurrent clients of an ensemble, recording every operation they make as a history for the
// linearizability checker (Jepsen/Porcupine style): creates, sets with unique values, deletes,
// local (sequentially consistent) reads and linearizable reads on a few shared znodes. Calls
// whose outcome is unknown (CONNECTION_LOSS, an expired session, a timeout) are recorded as such.
// Seeded: a run's choice of operations replays from its seed.
import { killAllServiceProcesses } from '@ensemble/common';
import { CoordClient, hasCode, type CoordError } from '@ensemble/coord-client';
import {
  HistoryRecorder, checkLinearizable, znodeInput, znodeOutput, type CheckResult, type ZnodeErrorCode, type ZnodeInput, type ZnodeOutput,
} from '@ensemble/linearizability';
import type { Ensemble } from './ensemble-harness';

/** mulberry32: a small seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WorkloadOptions {
  /** Connect string per client (all servers, or one server to pin a client). */
  connectStrings: string[];
  keys: string[];
  seed: number;
  sessionTimeoutMs?: number;
  /** Pause between a client's operations. */
  thinkMs?: number;
  /** A call still unanswered after this is recorded as unknown and the client moves on. */
  opTimeoutMs?: number;
}

export interface WorkloadStats {
  ok: number;
  failed: number;
  unknown: number;
  /** Times (performance.now) at which writes were acknowledged. */
  writeAcks: number[];
  errors: Record<string, number>;
}

const DOMAIN_CODES: readonly string[] = ['NO_NODE', 'NODE_EXISTS', 'BAD_VERSION', 'NOT_EMPTY'];
const now = (): number => performance.now();

export class HistoryWorkload {
  readonly recorder = new HistoryRecorder(now);
  readonly stats: WorkloadStats = { ok: 0, failed: 0, unknown: 0, writeAcks: [], errors: {} };
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly clients: CoordClient[] = [];
  private valueCounter = 0;

  constructor(private readonly opts: WorkloadOptions) {}

  async start(): Promise<void> {
    const random = seededRandom(this.opts.seed);
    for (let c = 0; c < this.opts.connectStrings.length; c++) {
      // Client c starts at the c-th server of its list (spread evenly), then goes round in order.
      const servers = this.opts.connectStrings[c].split(',');
      const k = c % servers.length;
      const client = await CoordClient.connect([...servers.slice(k), ...servers.slice(0, k)].join(','), {
        sessionTimeoutMs: this.opts.sessionTimeoutMs ?? 4000,
        connectTimeoutMs: 10_000,
        random: () => 0.999, // keeps the given order (the shuffle swaps nothing)
      });
      this.clients.push(client);
    }
    this.loops = this.clients.map((client, c) => this.loop(client, c, seededRandom(Math.floor(random() * 2 ** 31))));
  }

  /** Acknowledged writes since `sinceMs` (performance.now). */
  writesAckedSince(sinceMs: number): number {
    return this.stats.writeAcks.filter((t) => t >= sinceMs).length;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
    await Promise.all(this.clients.map((c) => c.close().catch(() => undefined)));
  }

  /**
   * Reads every key linearizably from a fresh client and records it (as one more client), so a
   * lost acknowledged write shows up as a read the checker cannot explain.
   */
  async finalReads(connectString: string): Promise<void> {
    const client = await CoordClient.connect(connectString, { sessionTimeoutMs: 10_000, connectTimeoutMs: 10_000 });
    try {
      for (const key of this.opts.keys) await this.run(client, 1000, key, znodeInput.get(), true);
    } finally {
      await client.close();
    }
  }

  check(): CheckResult {
    return checkLinearizable(this.recorder.history(), undefined, { maxSteps: 20_000_000 });
  }

  private async loop(client: CoordClient, clientId: number, random: () => number): Promise<void> {
    const { keys } = this.opts;
    while (!this.stopping && client.state !== 'expired' && client.state !== 'closed') {
      const key = keys[Math.floor(random() * keys.length)];
      const dice = random();
      if (dice < 0.45) await this.run(client, clientId, key, znodeInput.set(this.nextValue(clientId), -1), false);
      else if (dice < 0.55) await this.run(client, clientId, key, znodeInput.create(this.nextValue(clientId)), false);
      else if (dice < 0.6) await this.run(client, clientId, key, znodeInput.delete(-1), false);
      else if (dice < 0.85) await this.run(client, clientId, key, znodeInput.get(), false);
      else await this.run(client, clientId, key, znodeInput.get(), true);
      if (this.opts.thinkMs) await new Promise((r) => setTimeout(r, this.opts.thinkMs));
    }
  }

  private nextValue(clientId: number): string {
    this.valueCounter += 1;
    return `c${clientId}-${this.valueCounter}`;
  }

  private async run(client: CoordClient, clientId: number, key: string, input: ZnodeInput, linearizable: boolean): Promise<void> {
    const isRead = input.op === 'get' || input.op === 'exists';
    const token = this.recorder.begin(clientId, key, input, isRead ? (linearizable ? 'linearizable' : 'sequential') : undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.opts.opTimeoutMs ?? 15_000)));
    try {
      const result = await Promise.race([this.call(client, key, input, linearizable), timeout]);
      if (result === 'timeout') {
        this.unknown(token, 'TIMEOUT');
        return;
      }
      this.recorder.end(token, result);
      this.stats.ok += 1;
      if (!isRead) this.stats.writeAcks.push(now());
    } catch (err) {
      const code = (err as CoordError).code as string | undefined;
      if (code && DOMAIN_CODES.includes(code)) {
        this.recorder.end(token, znodeOutput.fail(code as ZnodeErrorCode));
        this.stats.failed += 1;
        return;
      }
      if (!hasCode(err, 'CONNECTION_LOSS', 'SESSION_EXPIRED', 'THROTTLED_OP', 'OPERATION_TIMEOUT', 'SESSION_MOVED')) throw err;
      this.unknown(token, code ?? 'UNKNOWN');
    } finally {
      clearTimeout(timer);
    }
  }

  private unknown(token: number, code: string): void {
    this.recorder.endUnknown(token);
    this.stats.unknown += 1;
    this.stats.errors[code] = (this.stats.errors[code] ?? 0) + 1;
  }

  private async call(client: CoordClient, key: string, input: ZnodeInput, linearizable: boolean): Promise<ZnodeOutput> {
    switch (input.op) {
      case 'create':
        await client.create(key, input.data);
        return znodeOutput.ok();
      case 'set': {
        const stat = await client.setData(key, input.data, input.version);
        return znodeOutput.ok({ version: stat.version });
      }
      case 'delete':
        await client.delete(key, input.version);
        return znodeOutput.ok();
      case 'get': {
        const { data, stat } = await client.getData(key, { linearizable });
        return znodeOutput.ok({ data: data.toString('utf8'), version: stat.version });
      }
      case 'exists': {
        const stat = await client.exists(key, { linearizable });
        return znodeOutput.ok(stat ? { exists: true, version: stat.version } : { exists: false });
      }
    }
  }
}

/** A readable verdict for expect(): the checker's result, or its explanation when it failed. */
export function describeCheck(result: CheckResult): string {
  if (result.ok === true) return 'linearizable';
  return JSON.stringify(result, null, 1).slice(0, 4000);
}

/** What an ensemble test started; `ensembleScope` stops it after each test, whatever happened. */
export interface EnsembleScope {
  ensemble: Ensemble | null;
  workload: HistoryWorkload | null;
}

export function ensembleScope(): EnsembleScope {
  const scope: EnsembleScope = { ensemble: null, workload: null };
  afterEach(async () => {
    // A workload whose servers were killed may fail to stop cleanly; the ensemble stop below still runs.
    await scope.workload?.stop().catch(() => undefined);
    scope.workload = null;
    await scope.ensemble?.stop();
    scope.ensemble = null;
    killAllServiceProcesses();
  });
  return scope;
}
