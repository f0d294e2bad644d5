// Prometheus metrics of the coordination server.
import type { Logger } from '@ensemble/common';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { WalSyncStats } from '../storage';
import type { ApplyOutcome, Txn } from '../tree/types';
import { BucketHistogram } from './bucket-histogram';

export class CoordMetrics {
  readonly requestSeconds: BucketHistogram;
  readonly watchEventsSent: Counter;
  readonly fsyncSeconds: BucketHistogram;
  readonly fsyncBatchRecords: BucketHistogram;
  // Counted here and handed to prom-client when scraped: its inc() builds a label object and
  // hashes it on every call, a few hundred bytes per request (the histograms are our own).
  private readonly requestsSinceScrape = new Map<string, { op: string; code: string; count: number }>();
  private readonly appliedSinceScrape = new Map<string, number>();
  private lastAppliedZxid = 0;
  private readonly fsyncsSinceScrape = { loop: 0, pool: 0 };

  constructor(registry: Registry, gauges: { znodes: () => number; sessions: () => number; watches: () => number; connections: () => number }) {
    const registers = [registry];
    const requests = this.requestsSinceScrape;
    new Counter({
      name: 'coord_requests_total',
      help: 'Requests answered, by operation and result code',
      labelNames: ['op', 'code'],
      registers,
      collect() {
        for (const r of requests.values()) this.inc({ op: r.op, code: r.code }, r.count);
        requests.clear();
      },
    });
    this.requestSeconds = new BucketHistogram({
      name: 'coord_request_duration_seconds',
      help: 'Time from a request arriving to its response being sent',
      labelName: 'op',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    const applied = this.appliedSinceScrape;
    new Counter({
      name: 'coord_txns_applied_total',
      help: 'Transactions applied to the data tree',
      labelNames: ['type'],
      registers,
      collect() {
        for (const [type, count] of applied) this.inc({ type }, count);
        applied.clear();
      },
    });
    this.watchEventsSent = new Counter({ name: 'coord_watch_events_sent_total', help: 'Watch events delivered to sessions', registers });
    this.fsyncSeconds = new BucketHistogram({
      name: 'coord_fsync_duration_seconds',
      help: 'Write-ahead log write+fdatasync time per group commit',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers,
    });
    this.fsyncBatchRecords = new BucketHistogram({
      name: 'coord_fsync_batch_records',
      help: 'Records made durable by one fdatasync (group commit size)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers,
    });
    // Which thread the log's fdatasyncs ran on (--loop-fsync-max decides): the loop's own saves
    // two thread wake-ups, the pool's lets the loop go on with reads and heartbeats meanwhile.
    const fsyncs = this.fsyncsSinceScrape;
    new Counter({
      name: 'coord_fsyncs_total',
      help: 'fdatasyncs of the write-ahead log, by the thread they ran on (loop or pool)',
      labelNames: ['thread'],
      registers,
      collect() {
        for (const thread of ['loop', 'pool'] as const) this.inc({ thread }, fsyncs[thread]);
        fsyncs.loop = fsyncs.pool = 0;
      },
    });
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({ name, help, registers, collect() { this.set(read()); } });
    };
    gauge('coord_znodes', 'Znodes in the data tree', gauges.znodes);
    gauge('coord_sessions', 'Live sessions', gauges.sessions);
    gauge('coord_watches', 'Watches registered', gauges.watches);
    gauge('coord_connections', 'Connected session streams on this server', gauges.connections);
    gauge('coord_last_zxid', 'zxid of the last applied transaction', () => this.lastAppliedZxid);
  }

  observeRequest(op: string, code: string, startedAtNs: bigint): void {
    const key = `${op} ${code}`;
    const counted = this.requestsSinceScrape.get(key);
    if (counted === undefined) this.requestsSinceScrape.set(key, { op, code, count: 1 });
    else counted.count += 1;
    this.requestSeconds.observe(Number(process.hrtime.bigint() - startedAtNs) / 1e9, op);
  }

  applied(txn: Txn, _outcome: ApplyOutcome): void {
    const type = txn.op.type;
    this.appliedSinceScrape.set(type, (this.appliedSinceScrape.get(type) ?? 0) + 1);
    this.lastAppliedZxid = txn.zxid;
  }

  synced(stats: WalSyncStats): void {
    this.fsyncSeconds.observe(stats.durationMs / 1000);
    this.fsyncBatchRecords.observe(stats.records);
    if (stats.fsyncThread !== null) this.fsyncsSinceScrape[stats.fsyncThread]++;
  }
}

/**
 * What a server does after each group commit of its log: the fsync histograms, and a warning
 * when one took `warnMs` or longer — every write waiting behind it was delayed that long
 * (ZooKeeper: fsync.warningthresholdms).
 */
export function observeSyncs(metrics: CoordMetrics, logger: Logger, warnMs: number): (stats: WalSyncStats) => void {
  return (stats) => {
    metrics.synced(stats);
    if (stats.durationMs >= warnMs) logger.warn('slow fsync of the log', { ms: Math.round(stats.durationMs), records: stats.records, bytes: stats.bytes, warnMs });
  };
}

/** What an ensemble member reports about its replication, read at scrape time. */
export interface RaftGaugeSource {
  term(): number;
  role(): string;
  leaderId(): number;
  commitIndex(): number;
  appliedIndex(): number;
  /** Leader only: entries each follower is behind; connected: whether the link to it is up. */
  peers(): Array<{ id: number; connected: boolean; lag: number | null }>;
}

export const RAFT_ROLES = ['leader', 'follower', 'pre-candidate', 'candidate'] as const;

/** Gauges of an ensemble member: term, role, leader, commit and applied index, per-peer lag. */
export function registerRaftGauges(registry: Registry, source: RaftGaugeSource): void {
  const registers = [registry];
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({ name, help, registers, collect() { this.set(read()); } });
  };
  gauge('coord_raft_term', 'Current Raft term (the zxid epoch)', () => source.term());
  gauge('coord_raft_leader_id', 'Id of the leader this server knows (0: none)', () => source.leaderId());
  gauge('coord_raft_commit_index', 'Highest log index known to be committed', () => source.commitIndex());
  gauge('coord_raft_applied_index', 'Highest log index applied to the data tree', () => source.appliedIndex());
  new Gauge({
    name: 'coord_raft_role',
    help: '1 for the role this server has now, 0 for the others',
    labelNames: ['role'],
    registers,
    collect() {
      const now = source.role();
      for (const role of RAFT_ROLES) this.set({ role }, role === now ? 1 : 0);
    },
  });
  new Gauge({
    name: 'coord_raft_peer_lag_entries',
    help: 'Entries a follower is behind the leader (reported by the leader only)',
    labelNames: ['peer'],
    registers,
    collect() {
      this.reset();
      for (const p of source.peers()) if (p.lag !== null) this.set({ peer: String(p.id) }, p.lag);
    },
  });
  new Gauge({
    name: 'coord_raft_peer_connected',
    help: '1 when the outbound peer stream to the peer is up',
    labelNames: ['peer'],
    registers,
    collect() {
      for (const p of source.peers()) this.set({ peer: String(p.id) }, p.connected ? 1 : 0);
    },
  });
}
