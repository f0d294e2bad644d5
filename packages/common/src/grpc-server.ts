import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { loadDefinition, loadHealthV1 } from '@ensemble/proto';
import { HealthReporter, type ServingStatus } from './health-reporter';
import type { Logger } from './logger';

export interface GrpcServiceBinding {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  host: string;
  /** 0 picks a free port; the bound port is returned. */
  port: number;
  services: GrpcServiceBinding[];
  /** .proto files (relative to protoRoot()) whose services reflection describes; health is always added. */
  reflectionProtoFiles?: string[];
  /** Largest request message accepted; defaults to DEFAULT_MAX_RECEIVE_MESSAGE_BYTES. */
  maxReceiveMessageBytes?: number;
  /** Raw channel options; they override the defaults below. */
  options?: grpc.ChannelOptions;
  /** Health of '' and of every served service at start; a service not yet able to answer starts NOT_SERVING. */
  initialStatus?: ServingStatus;
  logger?: Logger;
}

export interface GrpcServerHandle {
  server: grpc.Server;
  port: number;
  health: HealthReporter;
  /** Stops accepting calls, lets running calls finish for up to graceMs, then cuts them. */
  shutdown(graceMs: number): Promise<void>;
}

export const DEFAULT_MAX_RECEIVE_MESSAGE_BYTES = 4 * 1024 * 1024;
export const HEALTH_PROTO_FILE = 'grpc/health/v1/health.proto';

/** Defaults for long-lived client connections (sessions, watches, offer streams). */
export function defaultServerOptions(maxReceiveMessageBytes = DEFAULT_MAX_RECEIVE_MESSAGE_BYTES): grpc.ChannelOptions {
  return {
    'grpc.max_receive_message_length': maxReceiveMessageBytes,
    // Clients ping idle connections to notice dead servers; allow it rather than answer GOAWAY.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5_000,
    // Our own pings find half-open client connections (a client host that vanished).
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
  };
}

export async function startGrpcServer(opts: GrpcServerOptions): Promise<GrpcServerHandle> {
  const server = new grpc.Server({ ...defaultServerOptions(opts.maxReceiveMessageBytes), ...opts.options });
  const initial = opts.initialStatus ?? 'SERVING';
  const health = new HealthReporter({ '': initial });
  server.addService(loadHealthV1().grpc.health.v1.Health.service, health.implementation());
  for (const binding of opts.services) {
    server.addService(binding.definition, binding.implementation);
    const name = serviceName(binding.definition);
    if (name) health.setStatus(name, initial);
  }
  const files = [HEALTH_PROTO_FILE, ...(opts.reflectionProtoFiles ?? []).filter((f) => f !== HEALTH_PROTO_FILE)];
  new ReflectionService(Object.assign({}, ...files.map((f) => loadDefinition(f)))).addToServer(server);
  const port = await bind(server, opts.host, opts.port).catch((err: unknown) => {
    server.forceShutdown();
    throw err;
  });
  opts.logger?.info('grpc server started', { host: opts.host, port, services: Object.keys(health.list()).filter(Boolean) });
  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs: number) => (stopping ??= stop(server, health, graceMs, opts.logger));
  return { server, port, health, shutdown };
}

/** 'coord.v1.Coordination' from a method path like '/coord.v1.Coordination/Create'. */
export function serviceName(definition: grpc.ServiceDefinition): string | undefined {
  const first = Object.values(definition)[0] as { path?: string } | undefined;
  return first?.path?.split('/')[1];
}

function bind(server: grpc.Server, host: string, port: number): Promise<number> {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (err) reject(new Error(`cannot listen for gRPC on ${address}: ${err.message}`, { cause: err }));
      else resolve(bound);
    });
  });
}

function stop(server: grpc.Server, health: HealthReporter, graceMs: number, logger?: Logger): Promise<void> {
  // Probes see NOT_SERVING first, and open Watch streams end, so they do not hold up the drain.
  health.shutdown();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger?.warn('grpc shutdown grace expired, cancelling calls', { graceMs });
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
