// The client end of an HTTP/2 connection (RFC 9113), small enough to read, for the long-lived
// gRPC streams on the coordination ensemble's replication path. node:http2 hands every write to
// nghttp2, which sends it from a native immediate after the rest of the event loop's turn; on a
// follower that turn is often its fsync and the next peer message, so its acknowledgement of a
// write waited for both (3 servers, 1 write outstanding: about 10% fewer writes/s). Here a frame
// is given to the socket when it is written, and libuv sends it at once when the socket is idle.
//
// Scope: streams opened by this end; no server push (disabled in our SETTINGS), no priorities, no
// padding sent (padding received is stripped). Flow control is RFC 9113 §5.2 in both directions.
// The server may be any HTTP/2 implementation: header blocks are HPACK-decoded in full.
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { HpackDecoder, HpackEncoder, type HeaderField } from './hpack';

export type { HeaderField };

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const FRAME_HEADER_BYTES = 9;

/** Frame types and flags, RFC 9113 §6. */
const FRAME = { DATA: 0x0, HEADERS: 0x1, PRIORITY: 0x2, RST_STREAM: 0x3, SETTINGS: 0x4, PUSH_PROMISE: 0x5, PING: 0x6, GOAWAY: 0x7, WINDOW_UPDATE: 0x8, CONTINUATION: 0x9 } as const;
const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;
const SETTING = { HEADER_TABLE_SIZE: 0x1, ENABLE_PUSH: 0x2, MAX_CONCURRENT_STREAMS: 0x3, INITIAL_WINDOW_SIZE: 0x4, MAX_FRAME_SIZE: 0x5, MAX_HEADER_LIST_SIZE: 0x6 } as const;

/** Error codes, RFC 9113 §7. */
export const H2_ERROR = { NO_ERROR: 0x0, PROTOCOL_ERROR: 0x1, INTERNAL_ERROR: 0x2, FLOW_CONTROL_ERROR: 0x3, FRAME_SIZE_ERROR: 0x6, REFUSED_STREAM: 0x7, CANCEL: 0x8, COMPRESSION_ERROR: 0x9 } as const;

const DEFAULT_WINDOW_BYTES = 65_535;
const DEFAULT_FRAME_BYTES = 16_384;
const WINDOW_MAX = 2 ** 31 - 1;
const HEADER_TABLE_BYTES = 4096;
const HEADER_LIST_BYTES = 64 * 1024;
/** How long a connection closed after a GOAWAY waits for its bytes to leave. */
const CLOSE_LINGER_MS = 1000;

export interface Http2ClientOptions {
  host: string;
  port: number;
  /** The receive window announced for the connection and for each stream. */
  windowBytes?: number;
  /** The most a header list from the server may hold (SETTINGS_MAX_HEADER_LIST_SIZE). */
  maxHeaderListBytes?: number;
  /** A PING every keepaliveMs; no answer within keepaliveTimeoutMs closes the connection (0: none). */
  keepaliveMs?: number;
  keepaliveTimeoutMs?: number;
}

export interface Http2StreamHandlers {
  /** Response headers (the first block) or trailers; `endStream`: the server's side ended with them. */
  onHeaders(fields: HeaderField[], endStream: boolean): void;
  onData(chunk: Buffer): void;
  /** The server ended its side with its last DATA frame. */
  onEnd(): void;
  /** The stream is gone: reset by the server (`code`), or the connection closed. Called once. */
  onClose(reason: string, code: number): void;
}

interface PendingWrite {
  data: Buffer;
  offset: number;
  done?: (err?: Error | null) => void;
}

/**
 * One connection. Events: 'connect' (the server's first SETTINGS arrived: it speaks HTTP/2) and
 * 'close' (reason), once, after every stream's onClose.
 */
export class Http2ClientConnection extends EventEmitter {
  private readonly socket: net.Socket;
  private readonly encoder = new HpackEncoder();
  private readonly decoder: HpackDecoder;
  private readonly streams = new Map<number, Http2ClientStream>();
  private readonly windowBytes: number;
  private readonly maxHeaderListBytes: number;
  private nextStreamId = 1;
  private inbound: Buffer = Buffer.alloc(0);
  /** A header block spread over HEADERS and CONTINUATION frames, until END_HEADERS. */
  private headerBlock: { streamId: number; endStream: boolean; parts: Buffer[]; bytes: number } | null = null;
  private connected = false;
  private closedReason: string | null = null;
  /** What the server lets us send: RFC 9113 §6.9.1. */
  private sendWindow = DEFAULT_WINDOW_BYTES;
  private streamSendWindowInitial = DEFAULT_WINDOW_BYTES;
  private sendFrameBytesMax = DEFAULT_FRAME_BYTES;
  private concurrentStreamsMax = Infinity;
  /** Received bytes not yet given back with a WINDOW_UPDATE. */
  private unacknowledgedBytes = 0;
  /** Streams above this id were refused by a GOAWAY; no new ones may open. */
  private goawayLastStreamId = -1;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private pingDeadline: NodeJS.Timeout | null = null;

  constructor(private readonly opts: Http2ClientOptions) {
    super();
    this.windowBytes = Math.min(WINDOW_MAX, Math.max(DEFAULT_WINDOW_BYTES, opts.windowBytes ?? DEFAULT_WINDOW_BYTES));
    this.maxHeaderListBytes = opts.maxHeaderListBytes ?? HEADER_LIST_BYTES;
    this.decoder = new HpackDecoder(HEADER_TABLE_BYTES, this.maxHeaderListBytes);
    this.socket = net.connect({ host: opts.host, port: opts.port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.onSocketData(chunk));
    this.socket.on('error', (err) => this.close(err.message));
    this.socket.on('close', () => this.close('the connection closed'));
    // Written now, sent once the socket connects: a client may send frames right after its preface.
    const settings = [
      [SETTING.ENABLE_PUSH, 0],
      [SETTING.INITIAL_WINDOW_SIZE, this.windowBytes],
      [SETTING.MAX_HEADER_LIST_SIZE, this.maxHeaderListBytes],
    ];
    const payload = Buffer.alloc(settings.length * 6);
    settings.forEach(([id, value], i) => {
      payload.writeUInt16BE(id, i * 6);
      payload.writeUInt32BE(value, i * 6 + 2);
    });
    this.socket.cork();
    this.socket.write(PREFACE);
    this.writeFrame(FRAME.SETTINGS, 0, 0, payload);
    if (this.windowBytes > DEFAULT_WINDOW_BYTES) this.writeWindowUpdate(0, this.windowBytes - DEFAULT_WINDOW_BYTES);
    this.socket.uncork();
    this.startKeepalive();
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  /** Whether the server has answered with its SETTINGS. */
  get isConnected(): boolean {
    return this.connected;
  }

  /** Bytes handed to the socket that the kernel has not taken yet. */
  get socketQueuedBytes(): number {
    return this.socket.writableLength;
  }

  /** Opens a stream with `fields` as its request headers (pseudo-headers first). */
  request(fields: readonly HeaderField[], handlers: Http2StreamHandlers, opts: { endStream?: boolean } = {}): Http2ClientStream {
    const id = this.nextStreamId;
    const stream = new Http2ClientStream(this, id, handlers, this.streamSendWindowInitial, this.windowBytes);
    if (this.closedReason !== null) {
      queueMicrotask(() => stream.closeWith(this.closedReason ?? 'closed', H2_ERROR.CANCEL));
      return stream;
    }
    if (this.goawayLastStreamId >= 0 || this.streams.size >= this.concurrentStreamsMax || id > WINDOW_MAX) {
      queueMicrotask(() => stream.closeWith('the server accepts no more streams on this connection', H2_ERROR.REFUSED_STREAM));
      return stream;
    }
    this.nextStreamId += 2;
    this.streams.set(id, stream);
    this.writeHeaderBlock(id, this.encoder.encode(fields), opts.endStream ?? false);
    if (opts.endStream) stream.localEnded = true;
    return stream;
  }

  /** Closes the connection now (no GOAWAY: the server sees the socket close). */
  destroy(reason = 'closed by this end'): void {
    this.close(reason);
  }

  /** Sends what `stream` has pending, as far as both windows allow. */
  flushStream(stream: Http2ClientStream): void {
    if (this.closedReason !== null) return;
    const pending = stream.pending;
    if (pending.length === 0 && !stream.endQueued) return;
    this.socket.cork();
    try {
      while (pending.length > 0) {
        const head = pending[0];
        const left = head.data.length - head.offset;
        const room = Math.min(this.sendWindow, stream.sendWindow, this.sendFrameBytesMax);
        if (left > 0 && room <= 0) return;
        const n = Math.min(left, room);
        const chunk = head.data.subarray(head.offset, head.offset + n);
        head.offset += n;
        this.sendWindow -= n;
        stream.sendWindow -= n;
        stream.pendingBytes -= n;
        const last = head.offset === head.data.length;
        if (last) pending.shift();
        const endStream = last && pending.length === 0 && stream.endQueued;
        this.writeFrame(FRAME.DATA, endStream ? FLAG.END_STREAM : 0, stream.id, chunk, last ? head.done : undefined);
        if (endStream) return this.localEnd(stream);
      }
      if (stream.endQueued) {
        this.writeFrame(FRAME.DATA, FLAG.END_STREAM, stream.id, Buffer.alloc(0));
        this.localEnd(stream);
      }
    } finally {
      this.socket.uncork();
    }
  }

  /** This side of `stream` ended; once both sides have, the stream is done. */
  private localEnd(stream: Http2ClientStream): void {
    stream.endQueued = false;
    stream.localEnded = true;
    if (stream.remoteEnded) this.forget(stream, 'ended', H2_ERROR.NO_ERROR);
  }

  private forget(stream: Http2ClientStream, reason: string, code: number): void {
    this.streams.delete(stream.id);
    stream.closeWith(reason, code);
  }

  /** Resets `stream` (RST_STREAM) and forgets it. */
  resetStream(stream: Http2ClientStream, code: number): void {
    if (!this.streams.delete(stream.id)) return;
    if (this.closedReason === null) {
      const payload = Buffer.alloc(4);
      payload.writeUInt32BE(code);
      this.writeFrame(FRAME.RST_STREAM, 0, stream.id, payload);
    }
    stream.closeWith(`reset by this end (code ${code})`, code);
  }

  /** `flushFirst`: what was written (a GOAWAY) still leaves before the socket closes. */
  private close(reason: string, flushFirst = false): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.stopKeepalive();
    for (const stream of this.streams.values()) stream.closeWith(reason, H2_ERROR.CANCEL);
    this.streams.clear();
    if (flushFirst) {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), CLOSE_LINGER_MS).unref();
    } else {
      this.socket.destroy();
    }
    this.emit('close', reason);
  }

  /** A connection error (RFC 9113 §5.4.1): GOAWAY with `code`, then close. */
  private fail(code: number, why: string): void {
    if (this.closedReason !== null) return;
    const payload = Buffer.alloc(8 + Buffer.byteLength(why));
    payload.writeUInt32BE(0, 0); // this end accepts no streams from the server
    payload.writeUInt32BE(code, 4);
    payload.write(why, 8);
    this.writeFrame(FRAME.GOAWAY, 0, 0, payload);
    this.close(`protocol error (code ${code}): ${why}`, true);
  }

  private onSocketData(chunk: Buffer): void {
    this.inbound = this.inbound.length === 0 ? chunk : Buffer.concat([this.inbound, chunk]);
    let at = 0;
    while (this.closedReason === null && this.inbound.length - at >= FRAME_HEADER_BYTES) {
      const buf = this.inbound;
      const length = (buf[at] << 16) | (buf[at + 1] << 8) | buf[at + 2];
      // We announce no SETTINGS_MAX_FRAME_SIZE, so the default bounds what the server sends.
      if (length > DEFAULT_FRAME_BYTES) return this.fail(H2_ERROR.FRAME_SIZE_ERROR, `frame of ${length} bytes`);
      if (buf.length - at < FRAME_HEADER_BYTES + length) break;
      const type = buf[at + 3];
      const flags = buf[at + 4];
      const streamId = buf.readUInt32BE(at + 5) & 0x7fffffff;
      const payload = buf.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + length);
      at += FRAME_HEADER_BYTES + length;
      this.onFrame(type, flags, streamId, payload);
    }
    this.inbound = at === this.inbound.length ? Buffer.alloc(0) : this.inbound.subarray(at);
  }

  private onFrame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (this.headerBlock && type !== FRAME.CONTINUATION) return this.fail(H2_ERROR.PROTOCOL_ERROR, `frame type ${type} inside a header block`);
    switch (type) {
      case FRAME.DATA:
        return this.onDataFrame(flags, streamId, payload);
      case FRAME.HEADERS:
        return this.onHeadersFrame(flags, streamId, payload);
      case FRAME.CONTINUATION:
        return this.onContinuation(flags, streamId, payload);
      case FRAME.RST_STREAM:
        return this.onRstStream(streamId, payload);
      case FRAME.SETTINGS:
        return this.onSettings(flags, streamId, payload);
      case FRAME.PING:
        return this.onPing(flags, streamId, payload);
      case FRAME.GOAWAY:
        return this.onGoaway(streamId, payload);
      case FRAME.WINDOW_UPDATE:
        return this.onWindowUpdate(streamId, payload);
      case FRAME.PUSH_PROMISE:
        return this.fail(H2_ERROR.PROTOCOL_ERROR, 'PUSH_PROMISE with push disabled');
      case FRAME.PRIORITY:
        if (payload.length !== 5) return this.fail(H2_ERROR.FRAME_SIZE_ERROR, 'PRIORITY of the wrong size');
        return;
      default:
        return; // unknown frame types are ignored (RFC 9113 §4.1)
    }
  }

  private onDataFrame(flags: number, streamId: number, payload: Buffer): void {
    if (streamId === 0) return this.fail(H2_ERROR.PROTOCOL_ERROR, 'DATA on stream 0');
    if (payload.length > this.windowBytes - this.unacknowledgedBytes) return this.fail(H2_ERROR.FLOW_CONTROL_ERROR, 'DATA past the connection window');
    // The whole frame counts against the windows, padding included (RFC 9113 §6.1).
    this.giveBack(payload.length);
    const body = this.stripPadding(flags, payload, 0);
    if (body === null) return;
    const stream = this.streams.get(streamId);
    if (!stream) {
      if (streamId >= this.nextStreamId) this.fail(H2_ERROR.PROTOCOL_ERROR, `DATA on stream ${streamId}, never opened`);
      return; // a stream closed here: what was in flight is dropped
    }
    if (stream.remoteEnded) return this.fail(H2_ERROR.PROTOCOL_ERROR, `DATA on stream ${streamId} after its end`);
    if (!stream.onReceived(payload.length, this)) return this.resetStream(stream, H2_ERROR.FLOW_CONTROL_ERROR);
    if (body.length > 0) stream.handlers.onData(body);
    if (flags & FLAG.END_STREAM) this.remoteEnd(stream, () => stream.handlers.onEnd());
  }

  private onHeadersFrame(flags: number, streamId: number, payload: Buffer): void {
    if (streamId === 0) return this.fail(H2_ERROR.PROTOCOL_ERROR, 'HEADERS on stream 0');
    let fragment = this.stripPadding(flags, payload, flags & FLAG.PRIORITY ? 5 : 0);
    if (fragment === null) return;
    if (flags & FLAG.PRIORITY) fragment = fragment.subarray(5);
    this.headerBlock = { streamId, endStream: (flags & FLAG.END_STREAM) !== 0, parts: [fragment], bytes: fragment.length };
    if (flags & FLAG.END_HEADERS) this.endHeaderBlock();
  }

  private onContinuation(flags: number, streamId: number, payload: Buffer): void {
    const block = this.headerBlock;
    if (!block || block.streamId !== streamId) return this.fail(H2_ERROR.PROTOCOL_ERROR, 'CONTINUATION outside a header block');
    block.parts.push(payload);
    block.bytes += payload.length;
    // A literal takes no more bytes than it decodes to: a block past the list limit cannot decode within it.
    if (block.bytes > this.maxHeaderListBytes) return this.fail(H2_ERROR.COMPRESSION_ERROR, `header block of more than ${this.maxHeaderListBytes} bytes`);
    if (flags & FLAG.END_HEADERS) this.endHeaderBlock();
  }

  private endHeaderBlock(): void {
    const block = this.headerBlock as NonNullable<typeof this.headerBlock>;
    this.headerBlock = null;
    let fields: HeaderField[];
    try {
      // Decoded even for a stream gone here: the decoder's table must follow the server's.
      fields = this.decoder.decode(block.parts.length === 1 ? block.parts[0] : Buffer.concat(block.parts));
    } catch (err) {
      return this.fail(H2_ERROR.COMPRESSION_ERROR, err instanceof Error ? err.message : String(err));
    }
    const stream = this.streams.get(block.streamId);
    if (!stream) {
      if (block.streamId >= this.nextStreamId) this.fail(H2_ERROR.PROTOCOL_ERROR, `HEADERS on stream ${block.streamId}, never opened`);
      return;
    }
    if (stream.remoteEnded) return this.fail(H2_ERROR.PROTOCOL_ERROR, `HEADERS on stream ${block.streamId} after its end`);
    stream.handlers.onHeaders(fields, block.endStream);
    if (block.endStream) this.remoteEnd(stream, () => undefined);
  }

  /** The server's side of `stream` ended; once both sides have, the stream is done. */
  private remoteEnd(stream: Http2ClientStream, notify: () => void): void {
    stream.remoteEnded = true;
    notify();
    if (stream.localEnded) this.forget(stream, 'ended', H2_ERROR.NO_ERROR);
  }

  private onRstStream(streamId: number, payload: Buffer): void {
    if (streamId === 0 || payload.length !== 4) return this.fail(H2_ERROR.PROTOCOL_ERROR, 'bad RST_STREAM');
    const stream = this.streams.get(streamId);
    if (!stream) return;
    const code = payload.readUInt32BE(0);
    this.forget(stream, `reset by the server (code ${code})`, code);
  }

  private onSettings(flags: number, streamId: number, payload: Buffer): void {
    if (streamId !== 0) return this.fail(H2_ERROR.PROTOCOL_ERROR, 'SETTINGS on a stream');
    if (flags & FLAG.ACK) {
      if (payload.length !== 0) this.fail(H2_ERROR.FRAME_SIZE_ERROR, 'SETTINGS ack with a payload');
      return;
    }
    if (payload.length % 6 !== 0) return this.fail(H2_ERROR.FRAME_SIZE_ERROR, 'SETTINGS of the wrong size');
    for (let at = 0; at < payload.length; at += 6) {
      const id = payload.readUInt16BE(at);
      const value = payload.readUInt32BE(at + 2);
      if (id === SETTING.INITIAL_WINDOW_SIZE) {
        if (value > WINDOW_MAX) return this.fail(H2_ERROR.FLOW_CONTROL_ERROR, 'initial window size too large');
        // A change applies to every open stream's window (RFC 9113 §6.9.2).
        const delta = value - this.streamSendWindowInitial;
        this.streamSendWindowInitial = value;
        for (const stream of this.streams.values()) stream.sendWindow += delta;
      } else if (id === SETTING.MAX_FRAME_SIZE) {
        if (value < DEFAULT_FRAME_BYTES || value > 16_777_215) return this.fail(H2_ERROR.PROTOCOL_ERROR, `max frame size ${value}`);
        this.sendFrameBytesMax = value;
      } else if (id === SETTING.MAX_CONCURRENT_STREAMS) {
        this.concurrentStreamsMax = value;
      } else if (id === SETTING.ENABLE_PUSH && value > 1) {
        return this.fail(H2_ERROR.PROTOCOL_ERROR, 'enable push neither 0 nor 1');
      }
      // HEADER_TABLE_SIZE bounds the server's decoder; our encoder never adds to its table.
    }
    this.writeFrame(FRAME.SETTINGS, FLAG.ACK, 0, Buffer.alloc(0));
    if (!this.connected) {
      this.connected = true;
      this.emit('connect');
    }
    this.flushAll();
  }

  private onPing(flags: number, streamId: number, payload: Buffer): void {
    if (streamId !== 0) return this.fail(H2_ERROR.PROTOCOL_ERROR, 'PING on a stream');
    if (payload.length !== 8) return this.fail(H2_ERROR.FRAME_SIZE_ERROR, 'PING of the wrong size');
    if (flags & FLAG.ACK) {
      if (this.pingDeadline) clearTimeout(this.pingDeadline);
      this.pingDeadline = null;
      return;
    }
    this.writeFrame(FRAME.PING, FLAG.ACK, 0, Buffer.from(payload));
  }

  private onGoaway(streamId: number, payload: Buffer): void {
    if (streamId !== 0 || payload.length < 8) return this.fail(H2_ERROR.PROTOCOL_ERROR, 'bad GOAWAY');
    const lastStreamId = payload.readUInt32BE(0) & 0x7fffffff;
    const code = payload.readUInt32BE(4);
    const debug = payload.subarray(8).toString('utf8');
    this.goawayLastStreamId = lastStreamId;
    // Streams above the last one the server processed never started: they may be retried.
    for (const stream of [...this.streams.values()]) {
      if (stream.id > lastStreamId) this.forget(stream, `refused by the server's GOAWAY (code ${code}${debug ? `: ${debug}` : ''})`, H2_ERROR.REFUSED_STREAM);
    }
    if (code !== H2_ERROR.NO_ERROR) this.close(`the server went away (code ${code}${debug ? `: ${debug}` : ''})`);
  }

  private onWindowUpdate(streamId: number, payload: Buffer): void {
    if (payload.length !== 4) return this.fail(H2_ERROR.FRAME_SIZE_ERROR, 'WINDOW_UPDATE of the wrong size');
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (increment === 0) return this.fail(H2_ERROR.PROTOCOL_ERROR, 'WINDOW_UPDATE of 0');
    if (streamId === 0) {
      if (this.sendWindow + increment > WINDOW_MAX) return this.fail(H2_ERROR.FLOW_CONTROL_ERROR, 'connection window past 2^31-1');
      this.sendWindow += increment;
      this.flushAll();
      return;
    }
    const stream = this.streams.get(streamId);
    if (!stream) return;
    if (stream.sendWindow + increment > WINDOW_MAX) return this.fail(H2_ERROR.FLOW_CONTROL_ERROR, `stream ${streamId} window past 2^31-1`);
    stream.sendWindow += increment;
    this.flushStream(stream);
  }

  private flushAll(): void {
    for (const stream of this.streams.values()) {
      if (this.sendWindow <= 0) return;
      this.flushStream(stream);
    }
  }

  /** The frame's content without its padding (RFC 9113 §6.1), or null after a connection error. */
  private stripPadding(flags: number, payload: Buffer, extra: number): Buffer | null {
    if (!(flags & FLAG.PADDED)) {
      if (payload.length >= extra) return payload;
      this.fail(H2_ERROR.FRAME_SIZE_ERROR, 'frame shorter than its priority fields');
      return null;
    }
    if (payload.length < 1) {
      this.fail(H2_ERROR.FRAME_SIZE_ERROR, 'padded frame without its pad length');
      return null;
    }
    const padBytes = payload[0];
    if (padBytes + extra >= payload.length) {
      this.fail(H2_ERROR.PROTOCOL_ERROR, 'padding as long as the frame');
      return null;
    }
    return payload.subarray(1, payload.length - padBytes);
  }

  /** Counts received flow-controlled bytes as consumed; hands the window back once half is used. */
  private giveBack(bytes: number): void {
    this.unacknowledgedBytes += bytes;
    if (this.unacknowledgedBytes >= this.windowBytes / 2) {
      this.writeWindowUpdate(0, this.unacknowledgedBytes);
      this.unacknowledgedBytes = 0;
    }
  }

  writeWindowUpdate(streamId: number, increment: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(increment);
    this.writeFrame(FRAME.WINDOW_UPDATE, 0, streamId, payload);
  }

  private writeHeaderBlock(streamId: number, block: Buffer, endStream: boolean): void {
    this.socket.cork();
    let at = 0;
    do {
      const part = block.subarray(at, at + this.sendFrameBytesMax);
      const first = at === 0;
      at += part.length;
      const flags = (at >= block.length ? FLAG.END_HEADERS : 0) | (first && endStream ? FLAG.END_STREAM : 0);
      this.writeFrame(first ? FRAME.HEADERS : FRAME.CONTINUATION, flags, streamId, part);
    } while (at < block.length);
    this.socket.uncork();
  }

  private writeFrame(type: number, flags: number, streamId: number, payload: Buffer, done?: (err?: Error | null) => void): void {
    const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
    header[0] = (payload.length >>> 16) & 0xff;
    header[1] = (payload.length >>> 8) & 0xff;
    header[2] = payload.length & 0xff;
    header[3] = type;
    header[4] = flags;
    header.writeUInt32BE(streamId, 5);
    // Small frames go out as one buffer; a large payload is not copied (the socket is corked).
    if (payload.length <= 1024) this.socket.write(payload.length === 0 ? header : Buffer.concat([header, payload]), done);
    else {
      this.socket.write(header);
      this.socket.write(payload, done);
    }
  }

  private startKeepalive(): void {
    const { keepaliveMs = 0, keepaliveTimeoutMs = 0 } = this.opts;
    if (keepaliveMs <= 0) return;
    this.keepaliveTimer = setInterval(() => {
      if (this.pingDeadline || this.closedReason !== null) return;
      this.pingDeadline = setTimeout(() => this.close(`no answer to a keepalive ping within ${keepaliveTimeoutMs} ms`), keepaliveTimeoutMs);
      this.pingDeadline.unref();
      this.writeFrame(FRAME.PING, 0, 0, Buffer.alloc(8));
    }, keepaliveMs);
    this.keepaliveTimer.unref();
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    if (this.pingDeadline) clearTimeout(this.pingDeadline);
    this.keepaliveTimer = null;
    this.pingDeadline = null;
  }
}

/** A stream opened by the client. */
export class Http2ClientStream {
  readonly pending: PendingWrite[] = [];
  /** Bytes written and not yet sent for want of window. */
  pendingBytes = 0;
  endQueued = false;
  localEnded = false;
  remoteEnded = false;
  private unacknowledgedBytes = 0;
  private closed = false;

  constructor(
    private readonly connection: Http2ClientConnection,
    readonly id: number,
    readonly handlers: Http2StreamHandlers,
    public sendWindow: number,
    private readonly windowBytes: number,
  ) {}

  /** Sends `data` as DATA frames, as far as flow control allows now, the rest when it does. `done`: its bytes went to the socket. */
  write(data: Buffer, done?: (err?: Error | null) => void): void {
    if (this.closed || this.localEnded || this.endQueued) {
      done?.(new Error(`stream ${this.id} is closed for writing`));
      return;
    }
    this.pending.push({ data, offset: 0, done });
    this.pendingBytes += data.length;
    this.connection.flushStream(this);
  }

  /** Ends this side of the stream once everything written has been sent. */
  end(): void {
    if (this.closed || this.localEnded || this.endQueued) return;
    this.endQueued = true;
    this.connection.flushStream(this);
  }

  /** Resets the stream (CANCEL unless told). */
  reset(code: number = H2_ERROR.CANCEL): void {
    this.connection.resetStream(this, code);
  }

  /** Counts `bytes` received against the stream's window; false when the server overran it. */
  onReceived(bytes: number, connection: Http2ClientConnection): boolean {
    if (bytes > this.windowBytes - this.unacknowledgedBytes) return false;
    this.unacknowledgedBytes += bytes;
    if (this.unacknowledgedBytes >= this.windowBytes / 2) {
      connection.writeWindowUpdate(this.id, this.unacknowledgedBytes);
      this.unacknowledgedBytes = 0;
    }
    return true;
  }

  closeWith(reason: string, code: number): void {
    if (this.closed) return;
    this.closed = true;
    const err = new Error(`stream ${this.id} closed: ${reason}`);
    for (const write of this.pending.splice(0)) write.done?.(err);
    this.pendingBytes = 0;
    this.handlers.onClose(reason, code);
  }
}
