import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import {
  GRPC_STATUS, H2_ERROR, type HeaderField, headerObject, Http2ClientConnection, Http2ServerConnection, type Http2Stream, isGrpcRequest, loadDefinition, loadHealthV1, messageEncodingOf,
  READABLE_ENCODINGS, statusFields, trailersOnlyFields,
} from '@ensemble/proto';
import type { MethodDefinition } from '@grpc/proto-loader';
import { HealthReporter, type ServingStatus } from './health-reporter';
import type { Logger } from './logger';
import { type DirectUnaryMethod, serveUnaryCall } from './direct-unary-call';
import { ServerStreamCall } from './server-stream-call';

export interface GrpcServiceBinding {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
  /**
   * With `rawStreams` (a front): the front serves this service's unary methods itself with these
   * handlers (serveUnaryCall: they may use `request`, `metadata`, `getPeer()`, `getPath()` and
   * `cancelled`), instead of relaying them to grpc-js: one hop less each way, and the answer
   * leaves when it is written.
   */
  direct?: boolean;
}

/**
 * A bidirectional method served on @ensemble/proto's HTTP/2 server directly instead of through grpc-js: for the one
 * long-lived stream on a service's hot path (the coordination Session), where grpc-js's
 * per-message layers cost more CPU than the service's own work. Its `method` gives the path
 * and the serializers; the wire is the same gRPC.
 */
export interface RawStreamBinding {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  method: MethodDefinition<any, any, any, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handle(call: ServerStreamCall<any, any>): void;
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
  /** Methods served on HTTP/2 directly; every other call still reaches grpc-js (see startFront). */
  rawStreams?: RawStreamBinding[];
  logger?: Logger;
}

export interface GrpcServerHandle {
  /** grpc-js, serving every method not in `rawStreams` (behind the front when there are some). */
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
  const serverOptions = { ...defaultServerOptions(opts.maxReceiveMessageBytes), ...opts.options };
  const server = new grpc.Server(serverOptions);
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
  const raw = opts.rawStreams ?? [];
  let front: Front | null = null;
  let port: number;
  try {
    // With raw streams, grpc-js listens on a loopback port behind the front (startFront).
    port = await bind(server, raw.length > 0 ? '127.0.0.1' : opts.host, raw.length > 0 ? 0 : opts.port);
    if (raw.length > 0) {
      front = await startFront(opts.host, opts.port, port, raw, directUnaryMethods(opts.services), Number(serverOptions['grpc.max_receive_message_length']));
      port = front.port;
    }
  } catch (err) {
    server.forceShutdown();
    throw err;
  }
  opts.logger?.info('grpc server started', { host: opts.host, port, services: Object.keys(health.list()).filter(Boolean) });
  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs: number) => (stopping ??= Promise.all([front?.shutdown(graceMs), stop(server, health, graceMs, opts.logger)]).then(() => undefined));
  return { server, port, health, shutdown };
}

/** How the front pings clients: as grpc-js does with defaultServerOptions' keepalive settings. */
const FRONT_KEEPALIVE_MS = 30_000;
const FRONT_KEEPALIVE_TIMEOUT_MS = 10_000;
const FRONT_WINDOW_BYTES = 4 * 1024 * 1024;
/**
 * Streams one client connection may hold open: a client process multiplexes all its sessions
 * (and their unary calls) over one connection per server, so this is far above the HTTP/2
 * server's default of 1000 (grpc-js sets no limit at all).
 */
const FRONT_STREAMS_MAX = 1_000_000;
/** A relayed stream stops reading its sender while this much waits for the receiver's window. */
const RELAY_PAUSE_BYTES = 1024 * 1024;

/** Headers that belong to one HTTP/2 hop, not to the call. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'http2-settings']);

/** A call's own header fields (or trailers), without the pseudo-headers and hop headers of this hop. */
function callFields(fields: readonly HeaderField[]): HeaderField[] {
  return fields.filter(([name]) => !name.startsWith(':') && !HOP_HEADERS.has(name));
}

interface Front {
  port: number;
  shutdown(graceMs: number): Promise<void>;
}

/**
 * The listening port when some methods are raw: @ensemble/proto's HTTP/2 server, which serves
 * `rawStreams` and the unary methods of `direct` services itself, so that an answer leaves when
 * it is written (node:http2 would send it from an immediate after the rest of the event loop's
 * turn), and relays every other call, stream by stream, to grpc-js on a loopback port (health,
 * reflection: control traffic, where the relay's few tens of microseconds do not matter). Each
 * client connection gets one relay connection, opened on its first relayed call.
 */
async function startFront(host: string, port: number, innerPort: number, raw: RawStreamBinding[], unary: Map<string, DirectUnaryMethod>, maxReceiveBytes: number): Promise<Front> {
  const byPath = new Map(raw.map((b) => [b.method.path, b]));
  const connections = new Set<Http2ServerConnection>();
  /** Set by shutdown: called once the last connection has closed. */
  let onDrained: (() => void) | null = null;
  const front = net.createServer((socket) => {
    const connection = new Http2ServerConnection(socket, {
      windowBytes: FRONT_WINDOW_BYTES,
      maxConcurrentStreams: FRONT_STREAMS_MAX,
      keepaliveMs: FRONT_KEEPALIVE_MS,
      keepaliveTimeoutMs: FRONT_KEEPALIVE_TIMEOUT_MS,
    });
    connections.add(connection);
    let relay: Http2ClientConnection | null = null;
    const relayOf = (): Http2ClientConnection => {
      if (!relay || relay.closed) relay = new Http2ClientConnection({ host: '127.0.0.1', port: innerPort, windowBytes: FRONT_WINDOW_BYTES });
      return relay;
    };
    connection.on('stream', (stream: Http2Stream, fields: HeaderField[]) => {
      const headers = headerObject(fields);
      const binding = byPath.get(headers[':path']);
      const direct = unary.get(headers[':path']);
      if ((!binding && !direct) || !isGrpcRequest(headers)) return relayCall(stream, fields, relayOf());
      const encoding = messageEncodingOf(headers);
      if (encoding === null) {
        const why = `message encoding ${String(headers['grpc-encoding'])} is not supported (${READABLE_ENCODINGS} are)`;
        stream.sendHeaders(trailersOnlyFields(GRPC_STATUS.UNIMPLEMENTED, why), true);
        return;
      }
      if (direct) serveUnaryCall(stream, fields, connection.remoteAddress, direct, maxReceiveBytes, encoding);
      else binding?.handle(new ServerStreamCall(stream, connection.remoteAddress, binding.method, maxReceiveBytes, encoding));
    });
    connection.on('close', () => {
      connections.delete(connection);
      relay?.destroy();
      if (connections.size === 0) onDrained?.();
    });
  });
  const address = formatHostPort(host, port);
  const bound = await new Promise<number>((resolve, reject) => {
    front.once('error', (err) => reject(new Error(`cannot listen for gRPC on ${address}: ${err.message}`, { cause: err })));
    front.listen(port, host, () => resolve((front.address() as AddressInfo).port));
  });
  return {
    port: bound,
    shutdown: (graceMs) => new Promise<void>((resolve) => {
      // Like grpc-js's tryShutdown: no new connections, GOAWAY on the open ones, running calls
      // may finish within the grace; then they are cut.
      const timer = setTimeout(() => {
        for (const connection of connections) connection.destroy('the server is shutting down');
        onDrained?.();
      }, graceMs);
      timer.unref();
      onDrained = () => {
        clearTimeout(timer);
        resolve();
      };
      front.close();
      for (const connection of connections) connection.goaway();
      if (connections.size === 0) onDrained();
    }),
  };
}

/** The unary methods of the services bound `direct`, by path. */
function directUnaryMethods(services: GrpcServiceBinding[]): Map<string, DirectUnaryMethod> {
  const methods = new Map<string, DirectUnaryMethod>();
  for (const binding of services.filter((b) => b.direct)) {
    for (const [name, method] of Object.entries(binding.definition)) {
      const handler = binding.implementation[name] ?? (method.originalName ? binding.implementation[method.originalName] : undefined);
      if (method.requestStream || method.responseStream || typeof handler !== 'function') continue;
      methods.set(method.path, { method: method as DirectUnaryMethod['method'], handler: handler as DirectUnaryMethod['handler'] });
    }
  }
  return methods;
}

/** Relays one call to grpc-js: headers, messages both ways, trailers (or a trailers-only answer), resets. */
function relayCall(outer: Http2Stream, fields: readonly HeaderField[], relay: Http2ClientConnection): void {
  let answered = false;
  const answer = (headers: HeaderField[], endStream: boolean): void => {
    answered = true;
    outer.sendHeaders(headers, endStream);
  };
  const unavailable = (why: string): void => {
    if (!answered) answer(trailersOnlyFields(GRPC_STATUS.UNAVAILABLE, why), true);
  };
  const forward: HeaderField[] = [...fields.filter(([name]) => name === ':method' || name === ':scheme' || name === ':path' || name === ':authority'), ...callFields(fields)];
  const inner = relay.request(forward, {
    onHeaders: (headers, endStream) => {
      if (!answered) return answer([[':status', headers.find(([name]) => name === ':status')?.[1] ?? '200'], ...callFields(headers)], endStream);
      outer.end(callFields(headers)); // the trailers, after the messages
    },
    onData: (chunk) => {
      outer.write(chunk, () => {
        if (outer.pendingBytes < RELAY_PAUSE_BYTES) inner.resume();
      });
      if (outer.pendingBytes >= RELAY_PAUSE_BYTES) inner.pause();
    },
    onEnd: () => outer.end(statusFields(GRPC_STATUS.INTERNAL, 'the service sent no status')),
    onClose: (reason, code) => {
      if (!answered) unavailable(`the call ended without an answer (${reason})`);
      else if (code !== H2_ERROR.NO_ERROR) outer.reset(code);
    },
  });
  outer.handlers = {
    onHeaders: (_headers, endStream) => endStream && inner.end(),
    onData: (chunk) => {
      inner.write(chunk, () => {
        if (inner.pendingBytes < RELAY_PAUSE_BYTES) outer.resume();
      });
      if (inner.pendingBytes >= RELAY_PAUSE_BYTES) outer.pause();
    },
    onEnd: () => inner.end(),
    onClose: () => inner.reset(H2_ERROR.CANCEL),
  };
  if (outer.remoteEnded) inner.end();
}

/** 'coord.v1.Coordination' from a method path like '/coord.v1.Coordination/Create'. */
export function serviceName(definition: grpc.ServiceDefinition): string | undefined {
  const first = Object.values(definition)[0] as { path?: string } | undefined;
  return first?.path?.split('/')[1];
}

/** "host:port", with an IPv6 host in brackets, as addresses to listen on and dial are written. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function bind(server: grpc.Server, host: string, port: number): Promise<number> {
  const address = formatHostPort(host, port);
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
