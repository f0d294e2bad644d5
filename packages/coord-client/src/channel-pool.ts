// gRPC channels shared by the sessions of one process. A channel is costly to build (resolver,
// load balancer), and grpc-js already shares the HTTP/2 connection of channels to the
// same address, so every session to one server rides one channel; each session is its own
// stream. A channel closes when its last session lets go of it.
import * as grpc from '@grpc/grpc-js';
import { loadCoordV1 } from '@ensemble/proto';

interface Entry {
  client: grpc.Client;
  refs: number;
  linger: NodeJS.Timeout | null;
}

/**
 * How long an unused channel stays open: a process that opens and closes sessions one after
 * another (a CLI loop, a short-lived worker) reuses the connection instead of handshaking anew.
 * The timer does not keep the process alive.
 */
const LINGER_MS = 2000;

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
  // Per-call bookkeeping for a debugging service this client never exposes: off, it took 7–9%
  // off the client CPU of opening and closing a session in an A/B here.
  'grpc.enable_channelz': 0,
};

const channels = new Map<string, Entry>();

/** A reference to the shared channel to `address`; give it back with `releaseChannel`. */
export function acquireChannel(address: string): grpc.Client {
  let entry = channels.get(address);
  if (!entry) {
    const Coordination = loadCoordV1().coord.v1.Coordination;
    entry = { client: new Coordination(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS), refs: 0, linger: null };
    channels.set(address, entry);
  }
  if (entry.linger) clearTimeout(entry.linger);
  entry.linger = null;
  entry.refs++;
  return entry.client;
}

export function releaseChannel(address: string, client: grpc.Client): void {
  const entry = channels.get(address);
  if (!entry || entry.client !== client) return;
  if (--entry.refs > 0) return;
  entry.linger = setTimeout(() => {
    channels.delete(address);
    client.close();
  }, LINGER_MS);
  entry.linger.unref();
}
