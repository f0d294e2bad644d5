// HTTP/2 connections shared by the sessions of one process: every session to one server rides
// one connection, each session its own gRPC stream (spoken over node:http2 directly; see
// @ensemble/proto's grpc-wire.ts). A connection closes when its last session lets go of it.
import * as http2 from 'node:http2';
import { widenWindow } from '@ensemble/proto';

/**
 * How long an unused connection stays open: a process that opens and closes sessions one after
 * another (a CLI loop, a short-lived worker) reuses the connection instead of handshaking anew.
 * An unused connection does not keep the process alive.
 */
const LINGER_MS = 2000;

/** Flow-control windows: a large read (a 1 MiB znode, a page of children) should not wait for window updates. */
const WINDOW_BYTES = 4 * 1024 * 1024;

const SESSION_OPTIONS: http2.ClientSessionOptions = { settings: { initialWindowSize: WINDOW_BYTES } };

/** The connection to one server, dialled anew whenever the last one closed or was told to go away. */
export class Channel {
  private session: http2.ClientHttp2Session | null = null;
  refs = 0;
  linger: NodeJS.Timeout | null = null;

  constructor(readonly address: string) {}

  connection(): http2.ClientHttp2Session {
    const current = this.session;
    if (current && !current.closed && !current.destroyed) return current;
    const session = http2.connect(`http://${this.address}`, SESSION_OPTIONS);
    const forget = (): void => {
      if (this.session === session) this.session = null;
    };
    session.on('error', forget); // every stream on it fails and reports why
    session.on('goaway', forget); // no new streams on it; those open finish
    session.on('close', forget);
    session.on('connect', () => widenWindow(session, WINDOW_BYTES));
    if (this.refs === 0) session.unref();
    this.session = session;
    return session;
  }

  ref(): void {
    this.session?.ref();
  }

  unref(): void {
    this.session?.unref();
  }

  close(): void {
    const session = this.session;
    this.session = null;
    session?.close();
  }
}

const channels = new Map<string, Channel>();

/** A reference to the shared connection to `address`; give it back with `releaseChannel`. */
export function acquireChannel(address: string): Channel {
  let channel = channels.get(address);
  if (!channel) {
    channel = new Channel(address);
    channels.set(address, channel);
  }
  if (channel.linger) clearTimeout(channel.linger);
  channel.linger = null;
  if (channel.refs++ === 0) channel.ref();
  return channel;
}

export function releaseChannel(channel: Channel): void {
  if (channels.get(channel.address) !== channel || channel.refs === 0) return;
  if (--channel.refs > 0) return;
  channel.unref();
  channel.linger = setTimeout(() => {
    channels.delete(channel.address);
    channel.close();
  }, LINGER_MS);
  channel.linger.unref();
}
