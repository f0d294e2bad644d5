// Assembles one member of a replicated ensemble: recovers the Raft state and the data tree from
// the data directory, starts the peer transport, the Raft core and the client API, and reports
// role, term, leader, commit index and peers' lag on /status, /metrics and gRPC health.
import { randomInt } from 'node:crypto';
import { createRegistry, startAdminServer, type Logger } from '@ensemble/common';
import { RaftNode, type PersistedState } from '@ensemble/consensus';
import { DataDir } from '../storage';
import { DataTree, SnapshotWriter, WatchManager, deserializeTree } from '../tree';
import { startClientApi, COORDINATION_SERVICE } from '../server/client-api';
import type { CoordinationServerOptions, RunningCoordinationServer } from '../server/coordination-server';
import { Coordinator } from '../server/coordinator';
import { CoordMetrics, observeSyncs, registerRaftGauges } from '../server/metrics';
import { writeSnapshotInTurns } from '../server/snapshot-turns';
import { ensembleFingerprint, type EnsembleMember } from './ensemble-config';
import { startFaultAdmin, type FaultAdminHandle } from './fault-admin';
import { FaultFilter } from './fault-filter';
import type { PeerItem } from './peer-codec';
import { PeerTransport, type PeerTransportEvents } from './peer-transport';
import { RaftStorage } from './raft-storage';
import { ReplicatedLog } from './replicated-log';

export interface EnsembleServerOptions extends CoordinationServerOptions {
  members: EnsembleMember[];
  /** Address the peer port listens on (default: host). */
  peerHost: string;
  /** One Raft tick; elections happen after electionTicks..2*electionTicks of silence (Raft §5.2). */
  raftTickMs: number;
  electionTicks: number;
  /** How long a write waits for a leader; also how long a server cut off keeps its clients. */
  leaderWaitMs: number;
  /** See ReplicatedLogOptions.spareAppendDelayMs. */
  spareAppendDelayMs: number;
  /** Tests only: serve POST /faults on faultPort. */
  faultInjection: boolean;
  faultPort: number;
}

export interface RunningEnsembleServer extends RunningCoordinationServer {
  peerPort: number;
  faultPort: number | null;
  log: ReplicatedLog;
}

export interface PeerReport {
  id: number;
  address: string;
  connected: boolean;
  /** Leader only: the follower's last index known to match, and how far it is behind. */
  matchIndex: number | null;
  lag: number | null;
  state: string | null;
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

async function recover(dataDir: DataDir, opts: EnsembleServerOptions, metrics: CoordMetrics): Promise<{ storage: RaftStorage; state: PersistedState; tree: DataTree }> {
  const { logger } = opts;
  const { storage, state, notes } = await RaftStorage.open(dataDir, { fsync: opts.fsync, loopFsyncMaxMs: opts.loopFsyncMaxMs, onSync: observeSyncs(metrics, logger, opts.fsyncWarnMs) });
  if (notes.truncated) logger.warn('truncated torn log tail', { ...notes.truncated });
  if (notes.gapAfter !== null) logger.warn('log has a gap; entries after it dropped', { after: notes.gapAfter });
  const tree = state.snapshot ? deserializeTree(asBuffer(state.snapshot.data)) : new DataTree();
  logger.info('recovered', {
    term: state.hardState.term, commit: state.hardState.commit, snapshotIndex: state.snapshot?.index ?? 0,
    entries: state.entries.length, znodes: tree.nodeCount, sessions: tree.sessions().size,
  });
  return { storage, state, tree };
}

function createLog(opts: EnsembleServerOptions, parts: {
  coordinator: Coordinator; storage: RaftStorage; state: PersistedState; transport: PeerTransport; onQuorumChange: () => void;
}): ReplicatedLog {
  const { coordinator, storage, state, transport } = parts;
  const { logger } = opts;
  const voters = opts.members.map((m) => m.id);
  const random = (): number => randomInt(0, 2 ** 30) / 2 ** 30;
  const node = new RaftNode({
    id: opts.serverId,
    peers: voters,
    random,
    storage: state,
    electionTicks: opts.electionTicks,
    heartbeatTicks: 1,
    // The leader's commit hints (ReplicatedLog.hintCommit) tell followers at once; the core's
    // extra round of empty appends (and their answers) would only double the messages per write.
    broadcastCommit: false,
    applied: state.snapshot?.index ?? 0,
  });
  const electionMs = opts.electionTicks * opts.raftTickMs;
  return new ReplicatedLog({
    serverId: opts.serverId,
    node, storage, transport, voters,
    initialSnapshot: state.snapshot,
    snapshotEvery: opts.snapshotEvery,
    snapshotRetain: opts.snapshotRetain,
    random,
    logger,
    clock: Date.now,
    leaderWaitMs: opts.leaderWaitMs,
    readTimeoutMs: Math.max(opts.leaderWaitMs, 4 * electionMs),
    readRetryMs: 2 * electionMs,
    pendingWritesMax: opts.limits.maxOutstandingPerSession * 10,
    contactTimeoutMs: opts.leaderWaitMs,
    electionTicks: opts.electionTicks,
    spareAppendDelayMs: opts.spareAppendDelayMs,
    hooks: {
      apply: (txn) => coordinator.apply(txn),
      lastZxid: () => coordinator.lastZxid,
      serializeState: () => writeSnapshotInTurns(new SnapshotWriter(coordinator.tree)),
      restoreState: (data) => coordinator.replaceState(deserializeTree(asBuffer(data))),
      onLeadershipGained: () => coordinator.onLeadershipGained(),
      onLeadershipLost: () => coordinator.onLeadershipLost(),
      onContactLost: () => coordinator.dropClients('this server lost contact with the quorum'),
      onQuorumChange: parts.onQuorumChange,
      touchSessions: (ids) => coordinator.touchFromPeer(ids),
      onFatal: (err) => {
        logger.error('fatal storage error, exiting', { err });
        process.exit(70);
      },
    },
  });
}

function peerReports(opts: EnsembleServerOptions, log: ReplicatedLog, transport: PeerTransport): PeerReport[] {
  const status = log.driver.node.status();
  return opts.members.filter((m) => m.id !== opts.serverId).map((m) => {
    const pr = status.progress.get(m.id);
    return {
      id: m.id, address: `${m.host}:${m.peerPort}`, connected: transport.isUp(m.id),
      matchIndex: pr ? pr.match : null, lag: pr ? status.lastIndex - pr.match : null, state: pr ? pr.state : null,
    };
  });
}

/** /status: what this member knows about the ensemble and its own state. */
function statusReport(opts: EnsembleServerOptions, coordinator: Coordinator, log: ReplicatedLog, transport: PeerTransport): Record<string, unknown> {
  const s = log.driver.node.status();
  return {
    role: s.role, serverId: opts.serverId, term: s.term, leaderId: s.leaderId, inQuorum: log.inQuorum, servesClients: log.servesClients,
    commitIndex: s.commit, appliedIndex: log.driver.appliedIndex, lastIndex: s.lastIndex, snapshotIndex: s.snapshotIndex,
    lastZxid: coordinator.lastZxid, znodes: coordinator.tree.nodeCount, sessions: coordinator.tracker.size,
    connections: coordinator.connectedSessions, watches: coordinator.watches.totalCount, pendingWrites: log.pendingWrites,
    peers: peerReports(opts, log, transport),
  };
}

function createCoordinator(opts: EnsembleServerOptions, tree: DataTree, metrics: CoordMetrics, logger: Logger): Coordinator {
  return new Coordinator(tree, new WatchManager({ maxWatchesPerSession: opts.limits.maxWatchesPerSession }), {
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
}

export async function startEnsembleServer(opts: EnsembleServerOptions): Promise<RunningEnsembleServer> {
  const { logger } = opts;
  if (!opts.members.some((m) => m.id === opts.serverId)) {
    throw new Error(`server id ${opts.serverId} is not in the member list (${opts.members.map((m) => m.id).join(',')})`);
  }
  const dataDir = await DataDir.open(opts.dataDir);
  const registry = createRegistry('coord', { server: String(opts.serverId) });
  const live: { coordinator?: Coordinator; log?: ReplicatedLog; updateHealth?: () => void } = {};
  const metrics = new CoordMetrics(registry, {
    znodes: () => live.coordinator?.tree.nodeCount ?? 0,
    sessions: () => live.coordinator?.tracker.size ?? 0,
    watches: () => live.coordinator?.watches.totalCount ?? 0,
    connections: () => live.coordinator?.connectedSessions ?? 0,
  });
  const { storage, state, tree } = await recover(dataDir, opts, metrics);
  const coordinator = (live.coordinator = createCoordinator(opts, tree, metrics, logger));

  // The transport is up before the log exists; its events reach the log once it does.
  const events: PeerTransportEvents = {
    onItems: (from: number, items: PeerItem[]) => live.log?.onItems(from, items),
    onLinkChange: (peer: number, up: boolean) => live.log?.onLinkChange(peer, up),
    onDropped: (peer: number, items: PeerItem[]) => live.log?.onDropped(peer, items),
    onSnapshotSent: (peer: number, ok: boolean) => live.log?.onSnapshotSent(peer, ok),
  };
  const faults = new FaultFilter();
  const transport = await PeerTransport.start({
    selfId: opts.serverId, members: opts.members, listenHost: opts.peerHost, fingerprint: ensembleFingerprint(opts.members),
    faults, logger, events,
  });
  const log = (live.log = createLog(opts, { coordinator, storage, state, transport, onQuorumChange: () => live.updateHealth?.() }));
  coordinator.attachLog(log);
  const node = log.driver.node;
  registerRaftGauges(registry, {
    term: () => node.term,
    role: () => node.role,
    leaderId: () => node.leaderId,
    commitIndex: () => node.commitIndex,
    appliedIndex: () => log.driver.appliedIndex,
    peers: () => peerReports(opts, log, transport),
  });

  const grpcServer = await startClientApi({
    host: opts.host, port: opts.port, coordinator, limits: opts.limits, serverId: opts.serverId, logger, metrics, initialStatus: 'NOT_SERVING',
  });
  const admin = await startAdminServer({
    host: opts.host, port: opts.adminPort, registry, logger,
    status: () => statusReport(opts, coordinator, log, transport),
    ready: () => log.inQuorum,
  });
  let faultAdmin: FaultAdminHandle | null = null;
  if (opts.faultInjection) {
    faultAdmin = await startFaultAdmin({
      host: opts.host, port: opts.faultPort, filter: faults, selfId: opts.serverId, memberIds: opts.members.map((m) => m.id), logger,
      digest: () => ({ lastZxid: coordinator.lastZxid, digest: coordinator.tree.digest() }),
    });
    logger.warn('fault injection enabled (tests only)', { faultPort: faultAdmin.port });
  }

  // Health follows quorum membership, at each tick and as soon as the leader or the contact
  // changes; liveness (/healthz) does not (DESIGN.md §1 "Operations").
  const updateHealth = (live.updateHealth = (): void => {
    const health = log.inQuorum ? 'SERVING' : 'NOT_SERVING';
    grpcServer.health.setStatus('', health);
    grpcServer.health.setStatus(COORDINATION_SERVICE, health);
  });
  updateHealth();
  // A tick that comes late by half an election timeout says the event loop was blocked (a long
  // GC, a stalled disk write, a starved CPU): long enough, and followers start an election.
  let lastTickMs = Date.now();
  const electionTimeoutMs = opts.electionTicks * opts.raftTickMs;
  const raftTicker = setInterval(() => {
    const now = Date.now();
    if (now - lastTickMs - opts.raftTickMs >= electionTimeoutMs / 2) {
      logger.warn('event loop stalled', { ms: now - lastTickMs, electionTimeoutMs, role: log.driver.node.role });
    }
    lastTickMs = now;
    log.tick();
    updateHealth();
  }, opts.raftTickMs);
  const sessionTicker = setInterval(() => coordinator.tick(), opts.tickMs);
  log.driver.schedule();

  let stopping: Promise<void> | null = null;
  const stop = async (): Promise<void> => {
    clearInterval(raftTicker);
    clearInterval(sessionTicker);
    grpcServer.health.setStatus('', 'NOT_SERVING');
    await grpcServer.shutdown(2000);
    await log.close();
    transport.close();
    // A clean stop records the commit index (as far as the log on disk goes), so a restart
    // applies everything at once instead of waiting for the leader to repeat it.
    const s = node.status();
    await storage.saveHardState({ term: s.term, vote: s.vote, commit: Math.min(s.commit, s.stableIndex) }).catch(() => undefined);
    await storage.close();
    await faultAdmin?.close();
    await admin.close();
    await dataDir.release();
  };
  return {
    clientPort: grpcServer.port,
    adminPort: admin.port,
    peerPort: transport.port,
    faultPort: faultAdmin?.port ?? null,
    coordinator,
    log,
    stop: () => (stopping ??= stop()),
  };
}
