import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { GRPC_STATUS, isGrpcRequest, keepAlive, loadDefinition, loadHealthV1, messageEncodingOf, READABLE_ENCODINGS, statusTrailers } from '@ensemble/proto';
import type { MethodDefinition } from '@grpc/proto-loader';
import { HealthReporter, type ServingStatus } from './health-reporter';
import type { Logger } from './logger';
import { ServerStreamCall } from './server-stream-call';

export interface GrpcServiceBinding {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

/**
 * A bidirectional method served on node:http2 directly instead of through grpc-js: for the one
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
  /** Methods served on node:http2 directly; every other call still reaches grpc-js (see startFront). */
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
      front = await startFront(opts.host, opts.port, port, raw, Number(serverOptions['grpc.max_receive_message_length']));
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

/** Headers that belong to one HTTP/2 hop, not to the call. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'http2-settings']);

/** A call's own headers (or trailers), without the pseudo-headers and hop headers of this hop. */
function callHeaders(h: http2.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(h)) {
    if (!name.startsWith(':') && !HOP_HEADERS.has(name) && value !== undefined) out[name] = value;
  }
  return out;
}

interface Front {
  port: number;
  shutdown(graceMs: number): Promise<void>;
}

/**
 * The listening port when some methods are raw: a node:http2 server that serves `rawStreams`
 * itself and relays every other call, stream by stream, to grpc-js on a loopback port (health,
 * reflection, unary calls: control traffic, where the relay's few tens of microseconds do not
 * matter). Each client connection gets one relay connection, opened on its first relayed call.
 */
async function startFront(host: string, port: number, innerPort: number, raw: RawStreamBinding[], maxReceiveBytes: number): Promise<Front> {
  const byPath = new Map(raw.map((b) => [b.method.path, b]));
  const relays = new Map<http2.ServerHttp2Session, http2.ClientHttp2Session>();
  const sessions = new Set<http2.ServerHttp2Session>();
  /** Set by shutdown: called once the last connection has closed. */
  let onDrained: (() => void) | null = null;
  const front = http2.createServer({ settings: { initialWindowSize: FRONT_WINDOW_BYTES } });
  const relayOf = (session: http2.ServerHttp2Session): http2.ClientHttp2Session => {
    let relay = relays.get(session);
    if (!relay || relay.closed || relay.destroyed) {
      const fresh = http2.connect(`http://127.0.0.1:${innerPort}`);
      fresh.on('error', () => undefined); // its streams fail, and relay that
      fresh.on('close', () => relays.get(session) === fresh && relays.delete(session));
      relays.set(session, fresh);
      relay = fresh;
    }
    return relay;
  };
  front.on('session', (session) => {
    sessions.add(session);
    const stopPings = keepAlive(session, FRONT_KEEPALIVE_MS, FRONT_KEEPALIVE_TIMEOUT_MS, () => session.destroy());
    session.on('error', () => undefined); // the client went away
    session.on('close', () => {
      stopPings();
      sessions.delete(session);
      relays.get(session)?.close();
      relays.delete(session);
      if (sessions.size === 0) onDrained?.();
    });
  });
  front.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    const binding = byPath.get(String(headers[':path']));
    if (!binding || !isGrpcRequest(headers)) {
      relayCall(stream, headers, relayOf(stream.session as http2.ServerHttp2Session));
      return;
    }
    const encoding = messageEncodingOf(headers);
    if (encoding === null) {
      const why = `message encoding ${String(headers['grpc-encoding'])} is not supported (${READABLE_ENCODINGS} are)`;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-accept-encoding': READABLE_ENCODINGS, ...statusTrailers(GRPC_STATUS.UNIMPLEMENTED, why) }, { endStream: true });
      return;
    }
    binding.handle(new ServerStreamCall(stream, binding.method, maxReceiveBytes, encoding));
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
        for (const session of sessions) session.destroy();
        for (const relay of relays.values()) relay.destroy();
        onDrained?.();
      }, graceMs);
      timer.unref();
      onDrained = () => {
        clearTimeout(timer);
        resolve();
      };
      front.close();
      for (const session of sessions) session.close();
      if (sessions.size === 0) onDrained();
    }),
  };
}

/** Relays one call to grpc-js: headers, messages both ways, trailers (or a trailers-only answer), resets. */
function relayCall(outer: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, relay: http2.ClientHttp2Session): void {
  const forward: http2.OutgoingHttpHeaders = { ':method': headers[':method'], ':path': headers[':path'], ...callHeaders(headers) };
  const unavailable = (why: string): void => {
    if (outer.headersSent || outer.destroyed) return;
    outer.respond({ ':status': 200, 'content-type': 'application/grpc', ...statusTrailers(GRPC_STATUS.UNAVAILABLE, why) }, { endStream: true });
  };
  let inner: http2.ClientHttp2Stream;
  try {
    inner = relay.request(forward, { endStream: false });
  } catch (err) {
    unavailable(`the call could not be relayed: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  let trailers: http2.OutgoingHttpHeaders | null = null;
  inner.on('response', (h) => {
    if (outer.destroyed) return;
    const out = { ...callHeaders(h), ':status': h[':status'] ?? 200 };
    if (h['grpc-status'] !== undefined) {
      outer.respond(out, { endStream: true }); // trailers-only: the status is in these headers
      return;
    }
    outer.respond(out, { waitForTrailers: true });
    outer.on('wantTrailers', () => outer.sendTrailers(trailers ?? statusTrailers(GRPC_STATUS.INTERNAL, 'the service sent no status')));
    inner.pipe(outer);
  });
  inner.on('trailers', (h) => {
    trailers = callHeaders(h);
  });
  inner.on('error', () => undefined);
  inner.on('close', () => {
    if (!outer.headersSent) unavailable(`the call ended without an answer (HTTP/2 code ${inner.rstCode ?? 0})`);
    else if (inner.rstCode && inner.rstCode !== http2.constants.NGHTTP2_NO_ERROR && !outer.destroyed) outer.close(inner.rstCode);
  });
  outer.pipe(inner);
  outer.on('close', () => {
    if (!inner.destroyed) inner.close(http2.constants.NGHTTP2_CANCEL);
  });
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
