#!/usr/bin/env node
// Entry point of an rm-master process.
import { ConfigError, createLogger, formatHelp, onShutdown, parseConfig } from '@ensemble/common';
import { MASTER_OPTIONS } from './config';
import { startMasterServer } from './master-server';
import { parseRateLimit } from './rate-limiter';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(MASTER_OPTIONS);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`rm-master: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (config.help) {
    process.stdout.write(formatHelp(MASTER_OPTIONS, 'rm-master: a resource manager master (one leads, the others stand by)'));
    return;
  }
  const unreachableRate = parseRateLimit(config.agentUnreachableRate);
  if (!unreachableRate.ok) {
    process.stderr.write(`rm-master: --agent-unreachable-rate: ${unreachableRate.message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ service: 'rm-master', node: `${config.host}:${config.port}` });
  const master = await startMasterServer({
    host: config.host,
    port: config.port,
    adminPort: config.adminPort,
    advertiseHost: config.advertiseHost,
    coord: config.coord,
    coordRoot: config.coordRoot,
    sessionTimeoutMs: config.sessionTimeout,
    redisUrl: config.redisUrl,
    redisKeyPrefix: config.redisKeyPrefix,
    agentHeartbeatIntervalMs: config.agentHeartbeatInterval,
    agentTimeoutMs: config.agentTimeout,
    ...(unreachableRate.limit ? { agentUnreachableRate: unreachableRate.limit } : {}),
    frameworkHeartbeatIntervalMs: config.frameworkHeartbeatInterval,
    failoverTimeoutMaxMs: config.failoverTimeoutMax,
    allocationIntervalMs: config.allocationInterval,
    offerTimeoutMs: config.offerTimeout,
    logger,
  });
  logger.info('listening', { address: master.address, grpcPort: master.grpcPort, adminPort: master.adminPort, leader: master.isLeader() });
  onShutdown(logger, [{ name: 'master', run: () => master.stop() }], { timeoutMs: 10_000 });
}

main().catch((err: unknown) => {
  process.stderr.write(`rm-master: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
