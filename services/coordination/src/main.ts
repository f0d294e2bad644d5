#!/usr/bin/env node
// Entry point of a coordination server process.
import { ConfigError, createLogger, formatHelp, onShutdown, parseConfig } from '@ensemble/common';
import { COORD_OPTIONS } from './config';
import { DEFAULT_LIMITS } from './limits';
import { startCoordinationServer } from './server/coordination-server';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(COORD_OPTIONS);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`coord-server: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (config.help) {
    process.stdout.write(formatHelp(COORD_OPTIONS, 'coord-server: a coordination service server'));
    return;
  }
  const logger = createLogger({ service: 'coordination', node: `coord-${config.serverId}` });
  const server = await startCoordinationServer({
    host: config.host,
    port: config.port,
    adminPort: config.adminPort,
    dataDir: config.dataDir,
    serverId: config.serverId,
    tickMs: config.tick,
    minSessionTimeoutMs: config.minSessionTimeout,
    maxSessionTimeoutMs: config.maxSessionTimeout,
    fsync: config.fsync,
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
  });
  logger.info('listening', { host: config.host, clientPort: server.clientPort, adminPort: server.adminPort, dataDir: config.dataDir });
  onShutdown(logger, [{ name: 'coordination server', run: () => server.stop() }], { timeoutMs: 10_000 });
}

main().catch((err: unknown) => {
  process.stderr.write(`coord-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
