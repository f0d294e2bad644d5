// gRPC between the members of an ensemble (proto/coord/peer/v1/peer.proto). Each server dials
// every other server once and sends all its traffic for it on that one stream; the acceptor
// answers with a hello frame, which is how the dialer knows the link is up. Everything queued
// for a peer during one turn of the event loop leaves as one frame (batching); Raft's own flow
// control bounds how much is in flight. A link that breaks is dialled again with backoff, and
// what could not be sent is reported so Raft can probe again (etcd: ReportUnreachable).
import * as grpc from '@grpc/grpc-js';
import { loadDefinition } from '@ensemble/proto';
import type { Logger } from 'winston';
import type { EnsembleMember } from './ensemble-config';
import type { FaultFilter } from './fault-filter';
import { decodeBatch, encodeBatch, itemSizeHint, PEER_FEATURES_ALL, peerReads, type PeerItem } from './peer-codec';

/** The wire shape of coord.peer.v1.PeerFrame (as proto-loader hands it over). */
export interface PeerFrame {
  from: number;
  to: number;
  ensemble: string;
  batch: Buffer;
  /** Hello frames: the optional codec parts the sender reads (PEER_FEATURES); 0 from older builds. */
  features?: number;
}

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
  /** Frames buffered towards a peer that does not read; past it, Raft traffic is dropped. */
  framesQueuedMax: 512,
  reconnectMinMs: 50,
  reconnectMaxMs: 1000,
} as const;

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': PEER_LIMITS.messageBytesMax,
  'grpc.max_send_message_length': PEER_LIMITS.messageBytesMax,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
  'grpc.keepalive_time_ms': 5000,
  'grpc.keepalive_timeout_ms': 5000,
  'grpc.keepalive_permit_without_calls': 1,
};

type PeerCall = grpc.ClientDuplexStream<PeerFrame, PeerFrame>;
type PeerClient = grpc.Client & { Stream(): PeerCall };
type ServerCall = grpc.ServerDuplexStream<PeerFrame, PeerFrame>;

function peerService(): grpc.GrpcObject {
  return grpc.loadPackageDefinition(loadDefinition('coord/peer/v1/peer.proto'));
}

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export class PeerTransport {
  private readonly links = new Map<number, PeerLink>();
  private closed = false;

  private constructor(
    private readonly opts: PeerTransportOptions,
    private readonly server: grpc.Server,
    readonly port: number,
  ) {}

  /** Binds the peer port and starts dialling every other member. */
  static async start(opts: PeerTransportOptions): Promise<PeerTransport> {
    const self = opts.members.find((m) => m.id === opts.selfId);
    if (!self) throw new Error(`server ${opts.selfId} is not in the member list`);
    const server = new grpc.Server({
      ...CHANNEL_OPTIONS,
      'grpc.http2.min_ping_interval_without_data_ms': 1000,
    });
    const service = ((peerService().coord as grpc.GrpcObject).peer as grpc.GrpcObject).v1 as grpc.GrpcObject;
    const definition = (service.Peer as grpc.ServiceClientConstructor).service;
    let transport: PeerTransport | null = null;
    server.addService(definition, {
      Stream: (call: ServerCall) => {
        if (transport) transport.accept(call);
        else call.end();
      },
    });
    const address = formatHostPort(opts.listenHost, self.peerPort);
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => {
        if (err) reject(new Error(`cannot listen for peers on ${address}: ${err.message}`, { cause: err }));
        else resolve(bound);
      });
    });
    transport = new PeerTransport(opts, server, port);
    const Client = service.Peer as unknown as new (address: string, creds: grpc.ChannelCredentials, options: grpc.ChannelOptions) => PeerClient;
    for (const m of opts.members) {
      if (m.id === opts.selfId) continue;
      const client = new Client(formatHostPort(m.host, m.peerPort), grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
      const link = new PeerLink(m.id, client, opts);
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
    this.server.forceShutdown();
  }

  /** An inbound stream: the first frame names the dialer; then frames carry its traffic. */
  private accept(call: ServerCall): void {
    let peer = 0;
    let refused = false;
    const { selfId, fingerprint, faults, logger, events } = this.opts;
    const refuse = (why: string): void => {
      refused = true;
      logger.warn('peer stream refused', { why });
      call.emit('error', Object.assign(new Error(why), { code: grpc.status.FAILED_PRECONDITION, details: why }));
    };
    call.on('data', (frame: PeerFrame) => {
      if (this.closed || refused) return;
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
        call.end();
        return;
      }
      events.onItems(peer, items);
    });
    call.on('error', () => undefined); // the dialer went away; it dials again
    call.on('end', () => call.end());
  }
}

/** The outbound stream to one peer. */
class PeerLink {
  up = false;
  /** What the peer said it reads, in its answer to our hello. */
  peerFeatures = 0;
  private call: PeerCall | null = null;
  private queue: PeerItem[] = [];
  private flushScheduled = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private backoffMs: number = PEER_LIMITS.reconnectMinMs;
  private closed = false;

  constructor(
    readonly peer: number,
    private readonly client: PeerClient,
    private readonly opts: PeerTransportOptions,
  ) {}

  open(): void {
    if (this.closed) return;
    const call = this.client.Stream();
    this.call = call;
    call.on('data', (frame: PeerFrame) => {
      if (call !== this.call || this.up || frame.from !== this.peer) return;
      this.peerFeatures = frame.features ?? 0;
      this.up = true;
      this.backoffMs = PEER_LIMITS.reconnectMinMs;
      this.opts.logger.info('peer link up', { peer: this.peer });
      this.opts.events.onLinkChange(this.peer, true);
    });
    call.on('error', (err: grpc.ServiceError) => this.onBroken(call, `${grpc.status[err.code] ?? err.code}: ${err.details || err.message}`));
    call.on('end', () => this.onBroken(call, 'the peer ended the stream'));
    call.write({ from: this.opts.selfId, to: this.peer, ensemble: this.opts.fingerprint, batch: Buffer.alloc(0), features: this.opts.features ?? PEER_FEATURES_ALL });
  }

  send(item: PeerItem): void {
    if (this.closed || !this.opts.faults.allowsSend(this.peer)) return; // an injected fault drops it, like a lossy network
    if (!peerReads(this.peerFeatures, item)) return; // an older build: it would refuse the whole frame
    this.queue.push(item);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.call?.cancel();
    this.call = null;
    this.client.close();
  }

  flush(): void {
    this.flushScheduled = false;
    const items = this.queue;
    this.queue = [];
    if (items.length === 0) return;
    const call = this.call;
    if (!this.up || !call) {
      this.opts.events.onDropped(this.peer, items);
      return;
    }
    if (call.writableLength > PEER_LIMITS.framesQueuedMax) {
      this.opts.events.onDropped(this.peer, items); // the peer is not reading: Raft will probe again
      return;
    }
    let frame: PeerItem[] = [];
    let frameBytes = 0;
    const write = (batch: PeerItem[], snapshot: boolean): void => {
      const onWritten = snapshot ? (err?: Error | null) => this.opts.events.onSnapshotSent(this.peer, !err) : undefined;
      call.write({ from: this.opts.selfId, to: this.peer, ensemble: this.opts.fingerprint, batch: encodeBatch(batch) }, onWritten);
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

  private onBroken(call: PeerCall, reason: string): void {
    if (call !== this.call) return;
    this.call = null;
    call.cancel();
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
