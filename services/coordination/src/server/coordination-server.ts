// Assembles a standalone coordination server: recovers the data tree from the data directory
// (newest valid snapshot + the write-ahead log after it), then serves the Coordination gRPC
// service, the health service and the admin HTTP port.
import * as path from 'node:path';
import { createRegistry, startAdminServer, type Logger } from '@ensemble/common';
import type { Limits } from '../limits';
import { DataDir, SnapshotStore, WriteAheadLog, readFileIfExists, writeFileAtomic } from '../storage';
import { DataTree, SnapshotWriter, WatchManager, decodeTxn, deserializeTree } from '../tree';
import { ZXID_EPOCH_MAX, zxidEpoch } from '../tree/types';
import { StandaloneLog } from './commit-log';
import { Coordinator } from './coordinator';
import { startClientApi } from './client-api';
import { CoordMetrics, observeSyncs } from './metrics';
import { writeSnapshotInTurns } from './snapshot-turns';

export interface CoordinationServerOptions {
  host: string;
  port: number;
  adminPort: number;
  dataDir: string;
  serverId: number;
  tickMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  fsync: boolean;
  /** A group commit that takes this long is logged as a warning (a stalled disk delays every write). */
  fsyncWarnMs: number;
  /** See WalOptions.loopFsyncMaxMs (default 1 ms). */
  loopFsyncMaxMs?: number;
  snapshotEvery: number;
  snapshotRetain: number;
  limits: Limits;
  logger: Logger;
}

export interface RunningCoordinationServer {
  clientPort: number;
  adminPort: number;
  coordinator: Coordinator;
  /** Stops serving, lets in-flight writes finish, closes the log. */
  stop(): Promise<void>;
}

interface Recovered {
  tree: DataTree;
  snapshotZxid: number;
  replayed: number;
}

async function recover(snapshots: SnapshotStore, wal: Array<{ key: number; payload: Buffer }>): Promise<Recovered> {
  const snap = await snapshots.loadLatest();
  const tree = snap ? deserializeTree(snap.data) : new DataTree();
  const snapshotZxid = snap ? snap.zxid : 0;
  let replayed = 0;
  for (const rec of wal) {
    if (rec.key <= tree.lastZxid) continue; // already in the snapshot
    tree.apply(decodeTxn(rec.payload));
    replayed += 1;
  }
  return { tree, snapshotZxid, replayed };
}

/** Each start is a new epoch, so zxids keep increasing across restarts (ZooKeeper's epoch). */
async function nextEpoch(dir: string, lastZxid: number): Promise<number> {
  const file = path.join(dir, 'current-epoch');
  const stored = await readFileIfExists(file);
  const previous = stored ? Number(stored.toString('utf8').trim()) : 0;
  if (!Number.isSafeInteger(previous) || previous < 0) throw new Error(`corrupt ${file}: ${String(stored)}`);
  const epoch = Math.max(previous, zxidEpoch(lastZxid)) + 1;
  if (epoch > ZXID_EPOCH_MAX) throw new Error(`epoch ${epoch} exceeds ${ZXID_EPOCH_MAX}`);
  await writeFileAtomic(file, Buffer.from(`${epoch}\n`));
  return epoch;
}

export async function startCoordinationServer(opts: CoordinationServerOptions): Promise<RunningCoordinationServer> {
  const { logger } = opts;
  const dataDir = await DataDir.open(opts.dataDir);
  const registry = createRegistry('coord', { server: String(opts.serverId) });
  // Gauges read the coordinator lazily, at scrape time; it is created below.
  const live: { coordinator?: Coordinator } = {};
  const metrics = new CoordMetrics(registry, {
    znodes: () => live.coordinator?.tree.nodeCount ?? 0,
    sessions: () => live.coordinator?.tracker.size ?? 0,
    watches: () => live.coordinator?.watches.totalCount ?? 0,
    connections: () => live.coordinator?.connectedSessions ?? 0,
  });
  const opened = await WriteAheadLog.open(dataDir.logDir, { fsync: opts.fsync, loopFsyncMaxMs: opts.loopFsyncMaxMs, onSync: observeSyncs(metrics, logger, opts.fsyncWarnMs) });
  if (opened.truncated) logger.warn('truncated torn log tail', { ...opened.truncated });
  const snapshots = new SnapshotStore(dataDir.snapshotDir);
  const recovered = await recover(snapshots, opened.records);
  const { tree, snapshotZxid, replayed } = recovered;
  const epoch = await nextEpoch(opts.dataDir, tree.lastZxid);
  logger.info('recovered', { zxid: tree.lastZxid, snapshotZxid, replayed, znodes: tree.nodeCount, sessions: tree.sessions().size, epoch });

  const watches = new WatchManager({ maxWatchesPerSession: opts.limits.maxWatchesPerSession });
  const coordinator = new Coordinator(tree, watches, {
    serverId: opts.serverId,
    limits: opts.limits,
    minSessionTimeoutMs: opts.minSessionTimeoutMs,
    maxSessionTimeoutMs: opts.maxSessionTimeoutMs,
    tickMs: opts.tickMs,
    reapBatch: 1000,
    clock: Date.now,
    logger,
    metrics,
  });
  live.coordinator = coordinator;

  const snapshotter = new Snapshotter(tree, snapshots, opened.wal, opts, logger);
  const log = new StandaloneLog(
    opened.wal,
    epoch,
    tree.lastZxid,
    (txn) => {
      const outcome = coordinator.apply(txn);
      snapshotter.noteApplied();
      return outcome;
    },
    Date.now,
    (err) => {
      logger.error('fatal storage error, exiting', { err });
      process.exit(70);
    },
  );
  coordinator.attachLog(log);

  const grpcServer = await startClientApi({
    host: opts.host,
    port: opts.port,
    coordinator,
    limits: opts.limits,
    serverId: opts.serverId,
    logger,
    metrics,
    initialStatus: 'SERVING',
  });

  const admin = await startAdminServer({
    host: opts.host,
    port: opts.adminPort,
    registry,
    status: () => ({
      role: 'standalone',
      serverId: opts.serverId,
      epoch,
      lastZxid: tree.lastZxid,
      znodes: tree.nodeCount,
      sessions: coordinator.tracker.size,
      connections: coordinator.connectedSessions,
      watches: watches.totalCount,
    }),
    ready: () => log.canPropose,
    logger,
  });

  const ticker = setInterval(() => coordinator.tick(), opts.tickMs);
  ticker.unref();

  return {
    clientPort: grpcServer.port,
    adminPort: admin.port,
    coordinator,
    async stop() {
      clearInterval(ticker);
      grpcServer.health.setStatus('', 'NOT_SERVING');
      await grpcServer.shutdown(2000);
      await snapshotter.idle();
      await log.close();
      await opened.wal.close();
      await admin.close();
      await dataDir.release();
    },
  };
}

/** Takes a snapshot every `snapshotEvery` applied transactions and purges what it makes obsolete. */
class Snapshotter {
  private sinceLast = 0;
  private running: Promise<void> | null = null;

  constructor(
    private readonly tree: DataTree,
    private readonly store: SnapshotStore,
    private readonly wal: WriteAheadLog,
    private readonly opts: CoordinationServerOptions,
    private readonly logger: Logger,
  ) {}

  noteApplied(): void {
    this.sinceLast += 1;
    if (this.sinceLast >= this.opts.snapshotEvery && !this.running) {
      this.sinceLast = 0;
      this.running = this.take().finally(() => {
        this.running = null;
      });
    }
  }

  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async take(): Promise<void> {
    // The bytes are the state at zxid, written while later transactions apply.
    const zxid = this.tree.lastZxid;
    const startedMs = Date.now();
    try {
      const data = await writeSnapshotInTurns(new SnapshotWriter(this.tree));
      const appliedAfter = this.tree.lastZxid;
      await this.store.save(zxid, data);
      const kept = await this.store.purge(this.opts.snapshotRetain);
      const oldest = kept.length > 0 ? Math.min(...kept.map((s) => s.zxid)) : zxid;
      await this.wal.purgeBefore(oldest);
      // appliedMeanwhile: transactions the server applied (and answered) while the snapshot was written.
      this.logger.info('snapshot taken', { zxid, bytes: data.length, ms: Date.now() - startedMs, appliedMeanwhile: appliedAfter - zxid });
    } catch (err) {
      // A failed snapshot loses nothing (the log still has every transaction); try again later.
      this.logger.error('snapshot failed', { zxid, err });
    }
  }
}
