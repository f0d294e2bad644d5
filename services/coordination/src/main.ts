#!/usr/bin/env -S node --min-semi-space-size=16
// Entry point of a coordination server process: a standalone server, or with --servers one
// member of a replicated ensemble.
import { hostname } from 'node:os';
import { ConfigError, createLogger, formatHelp, onShutdown, parseConfig, type Logger } from '@ensemble/common';
import { COORD_OPTIONS } from './config';
import { parseServers, resolveServerId, type EnsembleMember } from './ensemble/ensemble-config';
import { startEnsembleServer } from './ensemble/ensemble-server';
import { SERVER_NODE_FLAGS, setHeapGrowth, youngGenerationPinned } from './heap-growth';
import { DEFAULT_LIMITS } from './limits';
import { startCoordinationServer, type CoordinationServerOptions } from './server/coordination-server';

type Config = ReturnType<typeof parseConfig<typeof COORD_OPTIONS>>;

function usageError(message: string): never {
  process.stderr.write(`coord-server: ${message}\n`);
  process.exit(2);
}

function baseOptions(config: Config, serverId: number, port: number, logger: Logger): CoordinationServerOptions {
  return {
    host: config.host,
    port,
    adminPort: config.adminPort,
    dataDir: config.dataDir,
    serverId,
    tickMs: config.tick,
    minSessionTimeoutMs: config.minSessionTimeout,
    maxSessionTimeoutMs: config.maxSessionTimeout,
    fsync: config.fsync,
    fsyncWarnMs: config.fsyncWarn,
    loopFsyncMaxMs: config.loopFsyncMax,
    snapshotEvery: config.snapshotEvery,
    snapshotRetain: config.snapshotRetain,
    limits: {
      ...DEFAULT_LIMITS,
      maxDataBytes: config.maxData,
      maxRequestBytes: Math.max(DEFAULT_LIMITS.maxRequestBytes, config.maxData + 64 * 1024),
      maxSessions: config.maxSessions,
      maxWatchesPerSession: config.maxWatchesPerSession,
      maxOutstandingPerSession: config.maxOutstandingPerSession,
    },
    logger,
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(COORD_OPTIONS);
  } catch (err) {
    if (err instanceof ConfigError) usageError(err.message);
    throw err;
  }
  if (config.help) {
    process.stdout.write(formatHelp(COORD_OPTIONS, 'coord-server: a coordination service server (standalone, or an ensemble member with --servers)'));
    return;
  }
  setHeapGrowth(config.heapGrowth);
  const id = resolveServerId(config.serverId, hostname());
  if (!id.ok) usageError(id.reason);
  let members: EnsembleMember[] | null = null;
  if (config.servers !== undefined && config.servers.trim() !== '') {
    const parsed = parseServers(config.servers);
    if (!parsed.ok) usageError(`--servers: ${parsed.reason}`);
    members = parsed.value;
  }
  const logger = createLogger({ service: 'coordination', node: `coord-${id.value}` });
  if (!youngGenerationPinned()) {
    logger.warn('young generation not pinned: after a quiet spell V8 shrinks it to 1 MB, and under load the server then collects garbage many times a second', {
      fix: `start node with ${SERVER_NODE_FLAGS.join(' ')} (the coord-server bin does)`,
    });
  }
  if (members === null) {
    const server = await startCoordinationServer(baseOptions(config, id.value, config.port ?? 2181, logger));
    logger.info('listening', { host: config.host, clientPort: server.clientPort, adminPort: server.adminPort, dataDir: config.dataDir });
    onShutdown(logger, [{ name: 'coordination server', run: () => server.stop() }], { timeoutMs: 10_000 });
    return;
  }
  const self = members.find((m) => m.id === id.value);
  if (!self) usageError(`--server-id ${id.value} is not in --servers (${members.map((m) => m.id).join(',')})`);
  const server = await startEnsembleServer({
    ...baseOptions(config, id.value, config.port ?? self.clientPort, logger),
    members,
    peerHost: config.peerHost ?? config.host,
    raftTickMs: config.raftTick,
    electionTicks: config.electionTicks,
    leaderWaitMs: config.leaderWait,
    spareAppendDelayMs: config.spareAppendDelay,
    faultInjection: config.enableFaultInjection,
    faultPort: config.faultPort,
  });
  logger.info('listening', {
    host: config.host, clientPort: server.clientPort, adminPort: server.adminPort, peerPort: server.peerPort,
    faultPort: server.faultPort, dataDir: config.dataDir, members: members.length,
  });
  onShutdown(logger, [{ name: 'coordination server', run: () => server.stop() }], { timeoutMs: 10_000 });
}

main().catch((err: unknown) => {
  process.stderr.write(`coord-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
