#!/usr/bin/env node
// Entry point of an rm-agent process.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, createLogger, createRegistry, formatHelp, onShutdown, parseConfig, startAdminServer, startGrpcServer } from '@ensemble/common';
import { CoordClient } from '@ensemble/coord-client';
import type { rmV1 } from '@ensemble/proto';
import { LeaderDetector } from '../leader-detector';
import { DEFAULT_AGENT_LIMITS } from '../limits';
import { RM_PROTO_FILES, loadRmV1 } from '../proto';
import { toWire } from '../resource-codec';
import { Agent } from './agent';
import { combineResources, parseAttributes, parseResourceOverrides } from './agent-resources';
import { agentService, describeIsolation } from './agent-service';
import { AGENT_OPTIONS } from './config';
import { TaskRunner, detectCgroups, detectResources, type CgroupSupport } from './executor';

type AgentConfig = ReturnType<typeof parseConfig<typeof AGENT_OPTIONS>>;

function readConfig(): AgentConfig {
  try {
    return parseConfig(AGENT_OPTIONS);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`rm-agent: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

function usageError(message: string): never {
  process.stderr.write(`rm-agent: ${message}\n`);
  process.exit(2);
}

async function buildInfo(config: AgentConfig, workDir: string): Promise<rmV1.AgentInfo__Output> {
  const overrides = parseResourceOverrides(config.resources);
  if (!overrides.ok) usageError(overrides.message);
  const attributes = parseAttributes(config.attributes);
  if (!attributes.ok) usageError(attributes.message);
  const detected = await detectResources({ workDir });
  return {
    agentId: '',
    hostname: config.hostname ?? os.hostname(),
    address: '',
    resources: toWire(combineResources(detected, overrides.value)),
    attributes: attributes.value,
    isolation: '',
  };
}

/** cgroups when writable; otherwise the runner warns once that tasks run unisolated, and the registration says why. */
function isolation(config: AgentConfig): CgroupSupport {
  if (config.isolation === 'none') return { version: 'none', reason: 'disabled by --isolation none' };
  return detectCgroups({ parentName: config.cgroupParent });
}

async function main(): Promise<void> {
  const config = readConfig();
  if (config.help) {
    process.stdout.write(formatHelp(AGENT_OPTIONS, 'rm-agent: runs tasks the leading master launches'));
    return;
  }
  const logger = createLogger({ service: 'rm-agent', node: `${config.host}:${config.port}` });
  const workDir = path.resolve(config.workDir);
  fs.mkdirSync(workDir, { recursive: true });
  const info = await buildInfo(config, workDir);
  const cgroups = isolation(config);
  info.isolation = describeIsolation(cgroups);
  const runner = new TaskRunner({ workDir, cgroups, logger, limits: {} });
  const coord = await CoordClient.connect(config.coord, { sessionTimeoutMs: config.sessionTimeout, connectTimeoutMs: 30_000 });
  const detector = new LeaderDetector(coord, config.coordRoot);
  await detector.start();
  // Filled in once the shutdown handler exists (it needs the servers started below).
  const onMasterShutdown: { trigger?: (reason: string) => void } = {};
  const agent = new Agent({
    workDir,
    info,
    runner,
    detector,
    logger,
    limits: {},
    statusUpdateRetryMs: config.statusUpdateRetry,
    statusUpdateRetryMaxMs: Math.max(config.statusUpdateRetry, config.statusUpdateRetryMax),
    killGracePeriodMs: config.killGracePeriod,
    onShutdown: (reason) => onMasterShutdown.trigger?.(reason),
  });
  const grpcServer = await startGrpcServer({
    host: config.host,
    port: config.port,
    services: [{ definition: loadRmV1().Agent.service, implementation: agentService(agent, () => info, cgroups, DEFAULT_AGENT_LIMITS.readOutputBytesMax) }],
    reflectionProtoFiles: RM_PROTO_FILES,
    logger,
  });
  info.address = `${config.advertiseHost ?? config.host}:${grpcServer.port}`;
  const admin = await startAdminServer({
    host: config.host,
    port: config.adminPort,
    registry: createRegistry('rm_agent'),
    status: () => ({ agentId: agent.id, address: info.address, registered: agent.registered, master: agent.masterAddress ?? null, isolation: describeIsolation(cgroups), resources: info.resources }),
    logger,
  });
  await agent.start();
  logger.info('listening', { address: info.address, grpcPort: grpcServer.port, adminPort: admin.port, workDir, isolation: describeIsolation(cgroups), resources: info.resources });
  const stop = async (): Promise<void> => {
    agent.stop();
    detector.stop();
    await grpcServer.shutdown(1000);
    await admin.close();
    await coord.close();
  };
  const shutdown = onShutdown(logger, [{ name: 'agent', run: stop }], { timeoutMs: 10_000 });
  onMasterShutdown.trigger = (reason) => void shutdown.trigger(`master: ${reason}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`rm-agent: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
