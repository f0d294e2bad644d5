// gRPC between the members of an ensemble (proto/coord/peer/v1/peer.proto). Each server dials
// every other server once and sends all its traffic for it on that one stream; the acceptor
// answers with a hello frame, which is how the dialer knows the link is up. Everything queued
// for a peer during one turn of the event loop leaves as one frame (batching); Raft's own flow
// control bounds how much is in flight. A link that breaks is dialled again with backoff, and
// what could not be sent is reported so Raft can probe again (etcd: ReportUnreachable).
// The stream is plain gRPC, on @ensemble/proto's HTTP/2 connections at both ends, which hand a
// frame to the socket as it is written instead of after the event loop's turn
// (http2-connection.ts says why that matters here).
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { formatHostPort, ServerStreamCall } from '@ensemble/common';
import {
  GRPC_STATUS, type HeaderField, headerObject, Http2ClientConnection, Http2ServerConnection, type Http2Stream, isGrpcRequest, loadMethod, MessageDeframer, readStatus,
  requestFields, trailersOnlyFields, writeMessage,
} from '@ensemble/proto';
import type { Logger } from 'winston';
import type { EnsembleMember } from './ensemble-config';
import type { FaultFilter } from './fault-filter';
import { decodeBatch, encodeBatch, itemSizeHint, PEER_FEATURES_ALL, peerReads, type PeerItem } from './peer-codec';
import { decodePeerFrame, type PeerFrame } from './peer-frame';

export type { PeerFrame };

export interface PeerTransportEvents {
  onItems(from: number, items: PeerItem[]): void;
  onLinkChange(peer: number, up: boolean): void;
  /** Items that could not be sent (link down, or the peer not reading). */
  onDropped(peer: number, items: PeerItem[]): void;
  /** A frame holding a Raft snapshot was handed to the transport (true) or failed (false). */
  onSnapshotSent(peer: number, ok: boolean): void;
}

export interface PeerTransportOptions {
  selfId: number;
  members: readonly EnsembleMember[];
  /** Address the peer port listens on (this member's peerPort from the list). */
  listenHost: string;
  fingerprint: string;
  faults: FaultFilter;
  logger: Logger;
  events: PeerTransportEvents;
  /** What this server announces it reads (default: everything this build reads). */
  features?: number;
}

export const PEER_LIMITS = {
  /** Largest frame either way: snapshots travel whole (Raft §7), so this bounds the data tree. */
  messageBytesMax: 512 * 1024 * 1024,
  /** A frame is cut once it holds this many bytes of items. */
  frameBytesTarget: 8 * 1024 * 1024,
  /** Bytes buffered towards a peer that does not read; past it, Raft traffic is dropped. */
  queuedBytesMax: 64 * 1024 * 1024,
  reconnectMinMs: 50,
  reconnectMaxMs: 1000,
  /** A dial that has not connected by then is abandoned and tried again. */
  connectTimeoutMs: 5000,
  /** Both ends ping every keepaliveMs; an answer later than keepaliveTimeoutMs drops the connection. */
  keepaliveMs: 5000,
  keepaliveTimeoutMs: 5000,
  /** HTTP/2 flow-control windows: a frame of appends should not wait for a window update. */
  windowBytes: 8 * 1024 * 1024,
} as const;

type PeerMethod = ReturnType<typeof loadMethod<PeerFrame, PeerFrame>>;

export class PeerTransport {
  private readonly links = new Map<number, PeerLink>();
  private readonly connections = new Set<Http2ServerConnection>();
  private closed = false;

  private constructor(
    private readonly opts: PeerTransportOptions,
    private readonly server: net.Server,
    private readonly method: PeerMethod,
    readonly port: number,
  ) {}

  /** Binds the peer port and starts dialling every other member. */
  static async start(opts: PeerTransportOptions): Promise<PeerTransport> {
    const self = opts.members.find((m) => m.id === opts.selfId);
    if (!self) throw new Error(`server ${opts.selfId} is not in the member list`);
    const method = { ...loadMethod<PeerFrame, PeerFrame>('coord/peer/v1/peer.proto', 'coord.peer.v1.Peer', 'Stream'), requestDeserialize: decodePeerFrame, responseDeserialize: decodePeerFrame };
    let transport: PeerTransport | null = null;
    const server = net.createServer((socket) => {
      if (transport) transport.adopt(socket);
      else socket.destroy();
    });
    const address = formatHostPort(opts.listenHost, self.peerPort);
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', (err) => reject(new Error(`cannot listen for peers on ${address}: ${err.message}`, { cause: err })));
      server.listen(self.peerPort, opts.listenHost, () => resolve((server.address() as AddressInfo).port));
    });
    server.on('error', (err) => opts.logger.error('peer server error', { err }));
    transport = new PeerTransport(opts, server, method, port);
    for (const m of opts.members) {
      if (m.id === opts.selfId) continue;
      const link = new PeerLink(m.id, m, method, opts);
      transport.links.set(m.id, link);
      link.open();
    }
    return transport;
  }

  /** Queues `item` for `to`; it leaves with everything else queued in this turn of the event loop. */
  send(to: number, item: PeerItem): void {
    this.links.get(to)?.send(item);
  }

  /**
   * Sends everything queued now instead of at the end of the turn: Raft's appends and answers
   * are on every write's critical path, and the work after them in the same turn (the leader's
   * own log write, applying) need not delay them.
   */
  flush(): void {
    for (const link of this.links.values()) link.flush();
  }

  isUp(peer: number): boolean {
    return this.links.get(peer)?.up ?? false;
  }

  /** Whether `peer` announced that it reads `feature` (PEER_FEATURES) on the link now up. */
  supports(peer: number, feature: number): boolean {
    const link = this.links.get(peer);
    return link !== undefined && link.up && (link.peerFeatures & feature) !== 0;
  }

  upPeers(): number[] {
    return [...this.links.values()].filter((l) => l.up).map((l) => l.peer);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const link of this.links.values()) link.close();
    this.server.close();
    for (const connection of this.connections) connection.destroy();
  }

  /** An inbound connection: pinged like an outbound one, so a vanished dialer frees it. */
  private adopt(socket: net.Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    const connection = new Http2ServerConnection(socket, { windowBytes: PEER_LIMITS.windowBytes, keepaliveMs: PEER_LIMITS.keepaliveMs, keepaliveTimeoutMs: PEER_LIMITS.keepaliveTimeoutMs });
    this.connections.add(connection);
    connection.on('stream', (stream: Http2Stream, fields: HeaderField[]) => this.accept(stream, fields, connection.remoteAddress));
    connection.on('close', () => this.connections.delete(connection)); // the dialer went away; it dials again
  }

  /** An inbound stream: the first frame names the dialer; then frames carry its traffic. */
  private accept(stream: Http2Stream, fields: HeaderField[], remoteAddress: string): void {
    const { selfId, fingerprint, faults, logger, events } = this.opts;
    const headers = headerObject(fields);
    if (!isGrpcRequest(headers)) {
      stream.sendHeaders([[':status', '415']], true);
      return;
    }
    if (headers[':path'] !== this.method.path) {
      stream.sendHeaders(trailersOnlyFields(GRPC_STATUS.UNIMPLEMENTED, `unknown method ${headers[':path']}`), true);
      return;
    }
    // Once ended (refused, a bad frame), the call emits no more frames.
    const call = new ServerStreamCall(stream, remoteAddress, this.method, PEER_LIMITS.messageBytesMax);
    let peer = 0;
    const refuse = (why: string): void => {
      logger.warn('peer stream refused', { why });
      call.end({ code: GRPC_STATUS.FAILED_PRECONDITION, details: why });
    };
    call.on('data', (frame: PeerFrame) => {
      if (this.closed) return;
      if (peer === 0) {
        const known = this.opts.members.some((m) => m.id === frame.from && m.id !== selfId);
        if (!known || frame.to !== selfId) return refuse(`frame from ${frame.from} to ${frame.to}: not a peer of server ${selfId}`);
        if (frame.ensemble !== fingerprint) return refuse(`peer ${frame.from} has members ${frame.ensemble}, this server ${fingerprint}`);
        peer = frame.from;
        call.write({ from: selfId, to: peer, ensemble: fingerprint, batch: Buffer.alloc(0), features: this.opts.features ?? PEER_FEATURES_ALL });
      }
      if (frame.batch.length === 0 || !faults.allowsReceive(peer)) return;
      let items: PeerItem[];
      try {
        items = decodeBatch(frame.batch);
      } catch (err) {
        logger.error('bad frame from peer', { peer, err });
        call.end({ code: GRPC_STATUS.INVALID_ARGUMENT, details: err instanceof Error ? err.message : String(err) });
        return;
      }
      events.onItems(peer, items);
    });
    // A frame that broke the framing or did not parse: the call already ended with its status.
    call.on('error', (err: Error) => logger.error('bad frame from peer', { peer, err }));
    call.on('end', () => call.end());
  }
}

/** The outbound stream to one peer. */
class PeerLink {
  up = false;
  /** What the peer said it reads, in its answer to our hello. */
  peerFeatures = 0;
  private connection: Http2ClientConnection | null = null;
  private stream: Http2Stream | null = null;
  private queue: PeerItem[] = [];
  /** The immediate that flushes what send() queued, unless flush() is called first. */
  private flushScheduled: NodeJS.Immediate | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private backoffMs: number = PEER_LIMITS.reconnectMinMs;
  private closed = false;

  constructor(
    readonly peer: number,
    private readonly member: EnsembleMember,
    private readonly method: PeerMethod,
    private readonly opts: PeerTransportOptions,
  ) {}

  open(): void {
    if (this.closed) return;
    const { host, peerPort } = this.member;
    const connection = new Http2ClientConnection({
      host,
      port: peerPort,
      windowBytes: PEER_LIMITS.windowBytes,
      keepaliveMs: PEER_LIMITS.keepaliveMs,
      keepaliveTimeoutMs: PEER_LIMITS.keepaliveTimeoutMs,
    });
    this.connection = connection;
    const broken = (reason: string): void => this.onBroken(connection, reason);
    const connectTimer = setTimeout(() => broken(`not connected within ${PEER_LIMITS.connectTimeoutMs} ms`), PEER_LIMITS.connectTimeoutMs);
    connection.on('connect', () => clearTimeout(connectTimer));
    connection.on('close', (reason: string) => {
      clearTimeout(connectTimer);
      broken(reason);
    });
    let status: { status: number; message: string } | null = null;
    // The acceptor ended its side (it refused the link, or a frame): the link is down now.
    const ended = (orElse: string): void => {
      const s = status as ReturnType<typeof readStatus>;
      broken(s ? `status ${s.status}${s.message ? `: ${s.message}` : ''}` : orElse);
    };
    const deframer = new MessageDeframer(PEER_LIMITS.messageBytesMax);
    this.stream = connection.request(requestFields(this.method.path, formatHostPort(host, peerPort)), {
      // A status here: in a trailers-only answer (the call is refused) or in trailers.
      onHeaders: (fields, endStream) => {
        status = readStatus(headerObject(fields)) ?? status;
        if (endStream) ended('the peer ended the stream');
      },
      onData: (chunk) => {
        if (connection !== this.connection) return;
        let bodies: Buffer[];
        try {
          bodies = deframer.push(chunk);
        } catch (err) {
          broken(err instanceof Error ? err.message : String(err));
          return;
        }
        for (const body of bodies) this.onHello(this.method.responseDeserialize(body));
      },
      onEnd: () => ended('the peer ended the stream'),
      onClose: (reason) => ended(`the stream closed: ${reason}`),
    });
    writeMessage(this.stream, this.method.requestSerialize({ from: this.opts.selfId, to: this.peer, ensemble: this.opts.fingerprint, batch: Buffer.alloc(0), features: this.opts.features ?? PEER_FEATURES_ALL }));
  }

  /** The acceptor's answer to our hello: the link is up. It sends nothing else. */
  private onHello(frame: PeerFrame): void {
    if (this.up || frame.from !== this.peer) return;
    this.peerFeatures = frame.features ?? 0;
    this.up = true;
    this.backoffMs = PEER_LIMITS.reconnectMinMs;
    this.opts.logger.info('peer link up', { peer: this.peer });
    this.opts.events.onLinkChange(this.peer, true);
  }

  send(item: PeerItem): void {
    if (this.closed || !this.opts.faults.allowsSend(this.peer)) return; // an injected fault drops it, like a lossy network
    if (!peerReads(this.peerFeatures, item)) return; // an older build: it would refuse the whole frame
    this.queue.push(item);
    this.flushScheduled ??= setImmediate(() => this.flush());
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const connection = this.connection;
    this.connection = null;
    this.stream = null;
    connection?.destroy();
  }

  /** Bytes written towards the peer that have not reached the kernel: it is not reading, or the network is slow. */
  private queuedBytes(): number {
    return (this.connection?.socketQueuedBytes ?? 0) + (this.stream?.pendingBytes ?? 0);
  }

  flush(): void {
    // Flushed before its immediate ran (the Raft driver flushes what each Ready sent): without
    // the immediate, an idle loop goes back to waiting for input at once.
    if (this.flushScheduled !== null) clearImmediate(this.flushScheduled);
    this.flushScheduled = null;
    const items = this.queue;
    this.queue = [];
    if (items.length === 0) return;
    const stream = this.stream;
    if (!this.up || !stream) {
      this.opts.events.onDropped(this.peer, items);
      return;
    }
    if (this.queuedBytes() > PEER_LIMITS.queuedBytesMax) {
      this.opts.events.onDropped(this.peer, items); // the peer is not reading: Raft will probe again
      return;
    }
    let frame: PeerItem[] = [];
    let frameBytes = 0;
    const write = (batch: PeerItem[], snapshot: boolean): void => {
      const body = this.method.requestSerialize({ from: this.opts.selfId, to: this.peer, ensemble: this.opts.fingerprint, batch: encodeBatch(batch) });
      writeMessage(stream, body, snapshot ? (err) => this.opts.events.onSnapshotSent(this.peer, !err) : undefined);
    };
    for (const item of items) {
      if (item.kind === 'raft' && item.message.type === 'snapshot') {
        if (frame.length > 0) write(frame, false); // keep the order of everything queued before it
        frame = [];
        frameBytes = 0;
        write([item], true); // alone in its frame, so its delivery can be reported
        continue;
      }
      frame.push(item);
      frameBytes += itemSizeHint(item);
      if (frameBytes >= PEER_LIMITS.frameBytesTarget) {
        write(frame, false);
        frame = [];
        frameBytes = 0;
      }
    }
    if (frame.length > 0) write(frame, false);
  }

  private onBroken(connection: Http2ClientConnection, reason: string): void {
    if (connection !== this.connection) return;
    this.connection = null;
    this.stream = null;
    connection.destroy(reason);
    const wasUp = this.up;
    this.up = false;
    this.peerFeatures = 0;
    if (wasUp) {
      this.opts.logger.info('peer link down', { peer: this.peer, reason });
      this.opts.events.onLinkChange(this.peer, false);
    }
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, this.backoffMs);
    this.backoffMs = Math.min(PEER_LIMITS.reconnectMaxMs, this.backoffMs * 2);
  }
}
