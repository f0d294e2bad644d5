// One end of an HTTP/2 connection (RFC 9113), small enough to read, for the gRPC streams on the
// coordination service's hot paths. node:http2 hands every write to nghttp2, which sends it from
// a native immediate after the rest of the event loop's turn; on a follower that turn is often
// its fsync and the next peer message, so its acknowledgement of a write waited for both, and a
// server's answer to its client waited for whatever else the turn held. Here a frame is given to
// the socket when it is written, and libuv sends it at once when the socket is idle.
//
// This module is what both ends share: frames, SETTINGS, flow control (RFC 9113 §5.2, both
// directions), header blocks (HPACK-decoded in full, so the peer may be any implementation),
// pings, resets and GOAWAY. http2-client.ts dials and opens streams; http2-server.ts accepts a
// connection and is opened streams. No server push, no priorities, no padding sent (padding
// received is stripped).
import { EventEmitter } from 'node:events';
import type * as net from 'node:net';
import { HpackDecoder, HpackEncoder, type HeaderField } from './hpack';

export type { HeaderField };

export const CONNECTION_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const FRAME_HEADER_BYTES = 9;

/** Frame types and flags, RFC 9113 §6. */
const FRAME = { DATA: 0x0, HEADERS: 0x1, PRIORITY: 0x2, RST_STREAM: 0x3, SETTINGS: 0x4, PUSH_PROMISE: 0x5, PING: 0x6, GOAWAY: 0x7, WINDOW_UPDATE: 0x8, CONTINUATION: 0x9 } as const;
const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;
export const SETTING = { HEADER_TABLE_SIZE: 0x1, ENABLE_PUSH: 0x2, MAX_CONCURRENT_STREAMS: 0x3, INITIAL_WINDOW_SIZE: 0x4, MAX_FRAME_SIZE: 0x5, MAX_HEADER_LIST_SIZE: 0x6 } as const;

/** Error codes, RFC 9113 §7. */
export const H2_ERROR = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  ENHANCE_YOUR_CALM: 0xb,
} as const;

export const DEFAULT_WINDOW_BYTES = 65_535;
const DEFAULT_FRAME_BYTES = 16_384;
export const WINDOW_MAX = 2 ** 31 - 1;
const HEADER_TABLE_BYTES = 4096;
const HEADER_LIST_BYTES = 64 * 1024;
/** Bytes queued on the socket past which a peer still sending pings or SETTINGS is dropped. */
const CONTROL_QUEUE_BYTES_MAX = 16 * 1024 * 1024;
/** How long a connection closed after a GOAWAY waits for its bytes to leave. */
const CLOSE_LINGER_MS = 1000;

export interface Http2ConnectionOptions {
  /** The receive window announced for the connection and for each stream. */
  windowBytes?: number;
  /** The most a header list from the peer may hold (SETTINGS_MAX_HEADER_LIST_SIZE). */
  maxHeaderListBytes?: number;
  /** A PING every keepaliveMs; no answer within keepaliveTimeoutMs closes the connection (0: none). */
  keepaliveMs?: number;
  keepaliveTimeoutMs?: number;
}

export interface Http2StreamHandlers {
  /** The peer's headers (the first block) or trailers; `endStream`: the peer's side ended with them. */
  onHeaders(fields: HeaderField[], endStream: boolean): void;
  onData(chunk: Buffer): void;
  /** The peer ended its side with its last DATA frame. */
  onEnd(): void;
  /** The stream is gone: ended both ways, reset (`code`), or the connection closed. Called once. */
  onClose(reason: string, code: number): void;
}

interface PendingWrite {
  data: Buffer;
  offset: number;
  done?: (err?: Error | null) => void;
}

/** A header block spread over HEADERS and CONTINUATION frames, until END_HEADERS. */
interface HeaderBlock {
  streamId: number;
  endStream: boolean;
  parts: Buffer[];
  bytes: number;
}

/** Events: 'close' (reason), once, after every stream's onClose; the subclasses add their own. */
export abstract class Http2Connection extends EventEmitter {
  protected readonly encoder = new HpackEncoder();
  private readonly decoder: HpackDecoder;
  protected readonly streams = new Map<number, Http2Stream>();
  protected readonly windowBytes: number;
  protected readonly maxHeaderListBytes: number;
  private inbound: Buffer = Buffer.alloc(0);
  private headerBlock: HeaderBlock | null = null;
  protected closedReason: string | null = null;
  /** What the peer lets us send: RFC 9113 §6.9.1. */
  private sendWindow = DEFAULT_WINDOW_BYTES;
  protected streamSendWindowInitial = DEFAULT_WINDOW_BYTES;
  private sendFrameBytesMax = DEFAULT_FRAME_BYTES;
  protected peerConcurrentStreamsMax = Infinity;
  /** Received bytes not yet given back with a WINDOW_UPDATE. */
  private unacknowledgedBytes = 0;
  private settingsReceived = false;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private pingDeadline: NodeJS.Timeout | null = null;

  protected constructor(
    protected readonly socket: net.Socket,
    private readonly opts: Http2ConnectionOptions,
  ) {
    super();
    this.windowBytes = Math.min(WINDOW_MAX, Math.max(DEFAULT_WINDOW_BYTES, opts.windowBytes ?? DEFAULT_WINDOW_BYTES));
    this.maxHeaderListBytes = opts.maxHeaderListBytes ?? HEADER_LIST_BYTES;
    this.decoder = new HpackDecoder(HEADER_TABLE_BYTES, this.maxHeaderListBytes);
    this.socket.setNoDelay(true);
    this.socket.on('error', (err) => this.close(err.message));
    this.socket.on('close', () => this.close('the connection closed'));
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  /** Whether the peer's first SETTINGS has arrived (it speaks HTTP/2). */
  get isConnected(): boolean {
    return this.settingsReceived;
  }

  /** Bytes handed to the socket that the kernel has not taken yet. */
  get socketQueuedBytes(): number {
    return this.socket.writableLength;
  }

  /** Closes the connection now (no GOAWAY: the peer sees the socket close). */
  destroy(reason = 'closed by this end'): void {
    this.close(reason);
  }

  // ---- what the two ends do differently ----

  /** 'server' or 'client': what the other end is, in reasons. */
  protected abstract readonly peerName: string;
  /** Whether this end opened (or would open) stream `id`: odd ids are the client's. */
  protected abstract isLocalStreamId(id: number): boolean;
  /** Whether stream `id` is one the peer has not opened yet (RFC 9113 §5.1 "idle"). */
  protected abstract isIdlePeerStream(id: number): boolean;
  /** A header block on a stream this end does not know. */
  protected abstract onUnknownStreamHeaders(streamId: number, fields: HeaderField[], endStream: boolean): void;
  /** The last peer stream this end processed, for the GOAWAY of a connection error. */
  protected abstract lastPeerStreamId(): number;
  /** A stream left the map (ended, reset, or the connection closed). */
  protected onStreamGone(_stream: Http2Stream): void {}

  // ---- writing ----

  /** The SETTINGS this end opens with (and the connection window beyond the default). */
  protected writeSettings(settings: Array<[number, number]>): void {
    const payload = Buffer.alloc(settings.length * 6);
    settings.forEach(([id, value], i) => {
      payload.writeUInt16BE(id, i * 6);
      payload.writeUInt32BE(value, i * 6 + 2);
    });
    this.writeFrame(FRAME.SETTINGS, 0, 0, payload);
    if (this.windowBytes > DEFAULT_WINDOW_BYTES) this.writeWindowUpdate(0, this.windowBytes - DEFAULT_WINDOW_BYTES);
  }

  /** Sends what `stream` has pending, as far as both windows allow, then its end once all is sent. */
  flushStream(stream: Http2Stream): void {
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
        const endStream = last && pending.length === 0 && stream.endQueued && stream.trailers === null;
        this.writeFrame(FRAME.DATA, endStream ? FLAG.END_STREAM : 0, stream.id, chunk, last ? head.done : undefined);
        if (endStream) return this.localEnd(stream);
      }
      if (stream.endQueued) {
        if (stream.trailers) this.writeHeaderBlock(stream.id, this.encoder.encode(stream.trailers), true);
        else this.writeFrame(FRAME.DATA, FLAG.END_STREAM, stream.id, Buffer.alloc(0));
        this.localEnd(stream);
      }
    } finally {
      this.socket.uncork();
    }
  }

  /** Sends a header block on `stream` now (headers, or trailers with `endStream`). */
  sendHeaders(stream: Http2Stream, fields: readonly HeaderField[], endStream: boolean): void {
    if (this.closedReason !== null || !this.streams.has(stream.id)) return;
    this.writeHeaderBlock(stream.id, this.encoder.encode(fields), endStream);
    if (endStream) this.localEnd(stream);
  }

  /** This side of `stream` ended; once both sides have, the stream is done. */
  private localEnd(stream: Http2Stream): void {
    stream.endQueued = false;
    stream.localEnded = true;
    if (stream.remoteEnded) this.forget(stream, 'ended', H2_ERROR.NO_ERROR);
    else if (stream.resetOnLocalEnd) {
      this.writeRstStream(stream.id, H2_ERROR.NO_ERROR);
      this.forget(stream, 'ended', H2_ERROR.NO_ERROR);
    }
  }

  protected forget(stream: Http2Stream, reason: string, code: number): void {
    if (!this.streams.delete(stream.id)) return;
    stream.closeWith(reason, code);
    this.onStreamGone(stream);
  }

  /** Resets `stream` (RST_STREAM) and forgets it. */
  resetStream(stream: Http2Stream, code: number): void {
    if (!this.streams.has(stream.id)) return;
    this.writeRstStream(stream.id, code);
    this.forget(stream, `reset by this end (code ${code})`, code);
  }

  protected writeRstStream(streamId: number, code: number): void {
    if (this.closedReason !== null) return;
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(code);
    this.writeFrame(FRAME.RST_STREAM, 0, streamId, payload);
  }

  protected writeGoaway(lastStreamId: number, code: number, debug = ''): void {
    const payload = Buffer.alloc(8 + Buffer.byteLength(debug));
    payload.writeUInt32BE(lastStreamId, 0);
    payload.writeUInt32BE(code, 4);
    payload.write(debug, 8);
    this.writeFrame(FRAME.GOAWAY, 0, 0, payload);
  }

  /** `flushFirst`: what was written (a GOAWAY) still leaves before the socket closes. */
  protected close(reason: string, flushFirst = false): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.stopKeepalive();
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const stream of streams) {
      stream.closeWith(reason, H2_ERROR.CANCEL);
      this.onStreamGone(stream);
    }
    if (flushFirst) {
      this.socket.end();
      setTimeout(() => this.socket.destroy(), CLOSE_LINGER_MS).unref();
    } else {
      this.socket.destroy();
    }
    this.emit('close', reason);
  }

  /** A connection error (RFC 9113 §5.4.1): GOAWAY with `code`, then close. */
  protected fail(code: number, why: string): void {
    if (this.closedReason !== null) return;
    this.writeGoaway(this.lastPeerStreamId(), code, why);
    this.close(`protocol error (code ${code}): ${why}`, true);
  }

  // ---- reading ----

  /** Reads frames from `chunk` (and what was left of the last one). */
  protected onSocketData(chunk: Buffer): void {
    this.inbound = this.inbound.length === 0 ? chunk : Buffer.concat([this.inbound, chunk]);
    let at = 0;
    while (this.closedReason === null && this.inbound.length - at >= FRAME_HEADER_BYTES) {
      const buf = this.inbound;
      const length = (buf[at] << 16) | (buf[at + 1] << 8) | buf[at + 2];
      // We announce no SETTINGS_MAX_FRAME_SIZE, so the default bounds what the peer sends.
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
      if (this.isIdlePeerStream(streamId)) this.fail(H2_ERROR.PROTOCOL_ERROR, `DATA on stream ${streamId}, never opened`);
      return; // a stream closed here: what was in flight is dropped
    }
    // A frame on a half-closed (remote) stream is a stream error (RFC 9113 §5.1).
    if (stream.remoteEnded) return this.resetStream(stream, H2_ERROR.STREAM_CLOSED);
    if (!stream.onReceived(payload.length)) return this.resetStream(stream, H2_ERROR.FLOW_CONTROL_ERROR);
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
    const block = this.headerBlock as HeaderBlock;
    this.headerBlock = null;
    let fields: HeaderField[];
    try {
      // Decoded even for a stream gone here: the decoder's table must follow the peer's.
      fields = this.decoder.decode(block.parts.length === 1 ? block.parts[0] : Buffer.concat(block.parts));
    } catch (err) {
      return this.fail(H2_ERROR.COMPRESSION_ERROR, err instanceof Error ? err.message : String(err));
    }
    const stream = this.streams.get(block.streamId);
    if (!stream) return this.onUnknownStreamHeaders(block.streamId, fields, block.endStream);
    if (stream.remoteEnded) return this.resetStream(stream, H2_ERROR.STREAM_CLOSED);
    stream.handlers.onHeaders(fields, block.endStream);
    if (block.endStream) this.remoteEnd(stream, () => undefined);
  }

  /** The peer's side of `stream` ended; once both sides have, the stream is done. */
  private remoteEnd(stream: Http2Stream, notify: () => void): void {
    stream.remoteEnded = true;
    notify();
    if (stream.localEnded) this.forget(stream, 'ended', H2_ERROR.NO_ERROR);
  }

  private onRstStream(streamId: number, payload: Buffer): void {
    if (streamId === 0 || payload.length !== 4) return this.fail(H2_ERROR.PROTOCOL_ERROR, 'bad RST_STREAM');
    if (this.isIdlePeerStream(streamId) && !this.isLocalStreamId(streamId)) return this.fail(H2_ERROR.PROTOCOL_ERROR, `RST_STREAM on stream ${streamId}, never opened`);
    const stream = this.streams.get(streamId);
    if (!stream) return;
    const code = payload.readUInt32BE(0);
    this.onPeerReset();
    this.forget(stream, `reset by the ${this.peerName} (code ${code})`, code);
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
        this.peerConcurrentStreamsMax = value;
      } else if (id === SETTING.ENABLE_PUSH && value > 1) {
        return this.fail(H2_ERROR.PROTOCOL_ERROR, 'enable push neither 0 nor 1');
      }
      // HEADER_TABLE_SIZE bounds the peer's decoder; our encoder never adds to its table.
    }
    if (this.controlFlood()) return;
    this.writeFrame(FRAME.SETTINGS, FLAG.ACK, 0, Buffer.alloc(0));
    if (!this.settingsReceived) {
      this.settingsReceived = true;
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
    if (this.controlFlood()) return;
    this.writeFrame(FRAME.PING, FLAG.ACK, 0, Buffer.from(payload));
  }

  /**
   * A peer that sends pings or SETTINGS and does not read the answers would make this end queue
   * them without bound (nghttp2 drops such a connection too).
   */
  private controlFlood(): boolean {
    if (this.socket.writableLength <= CONTROL_QUEUE_BYTES_MAX) return false;
    this.fail(H2_ERROR.ENHANCE_YOUR_CALM, 'control frames sent while not reading the answers');
    return true;
  }

  private onGoaway(streamId: number, payload: Buffer): void {
    if (streamId !== 0 || payload.length < 8) return this.fail(H2_ERROR.PROTOCOL_ERROR, 'bad GOAWAY');
    const lastStreamId = payload.readUInt32BE(0) & 0x7fffffff;
    const code = payload.readUInt32BE(4);
    const debug = payload.subarray(8).toString('utf8');
    this.onPeerGoaway(lastStreamId);
    // Streams this end opened above the last one the peer processed never started: they may be retried.
    for (const stream of [...this.streams.values()]) {
      if (this.isLocalStreamId(stream.id) && stream.id > lastStreamId) this.forget(stream, `refused by the ${this.peerName}'s GOAWAY (code ${code}${debug ? `: ${debug}` : ''})`, H2_ERROR.REFUSED_STREAM);
    }
    if (code !== H2_ERROR.NO_ERROR) this.close(`the ${this.peerName} went away (code ${code}${debug ? `: ${debug}` : ''})`);
  }

  /** The peer reset a stream. */
  protected onPeerReset(): void {}

  /** A GOAWAY arrived: this end may open no more streams. */
  protected onPeerGoaway(_lastStreamId: number): void {}

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
    if (this.closedReason !== null) return;
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(increment);
    this.writeFrame(FRAME.WINDOW_UPDATE, 0, streamId, payload);
  }

  protected writeHeaderBlock(streamId: number, block: Buffer, endStream: boolean): void {
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

  protected startKeepalive(): void {
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

const NO_HANDLERS: Http2StreamHandlers = { onHeaders: () => undefined, onData: () => undefined, onEnd: () => undefined, onClose: () => undefined };

/** A stream of either end. */
export class Http2Stream {
  readonly pending: PendingWrite[] = [];
  /** Bytes written and not yet sent for want of window. */
  pendingBytes = 0;
  endQueued = false;
  /** Sent with END_STREAM after the data, instead of an empty DATA frame. */
  trailers: readonly HeaderField[] | null = null;
  localEnded = false;
  remoteEnded = false;
  /**
   * A server's stream: once its response is complete the client need send no more of its request,
   * so the stream is reset with NO_ERROR (RFC 9113 §8.1) instead of waiting for the client's end.
   */
  resetOnLocalEnd = false;
  /** Received bytes whose window has not been given back. */
  private unacknowledgedBytes = 0;
  /** While paused, the window is not given back: the peer stops once it is used up. */
  private paused = false;
  private closed = false;

  constructor(
    private readonly connection: Http2Connection,
    readonly id: number,
    public handlers: Http2StreamHandlers = NO_HANDLERS,
    public sendWindow: number,
    private readonly windowBytes: number,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

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

  /** Sends a header block now: the response headers (a server), or trailers ending the stream. */
  sendHeaders(fields: readonly HeaderField[], endStream = false): void {
    if (this.closed || this.localEnded || this.endQueued) return;
    this.connection.sendHeaders(this, fields, endStream);
  }

  /** Ends this side of the stream once everything written has been sent, with `trailers` if given. */
  end(trailers?: readonly HeaderField[]): void {
    if (this.closed || this.localEnded || this.endQueued) return;
    this.endQueued = true;
    this.trailers = trailers ?? null;
    this.connection.flushStream(this);
  }

  /** Resets the stream (CANCEL unless told). */
  reset(code: number = H2_ERROR.CANCEL): void {
    this.connection.resetStream(this, code);
  }

  /** Stops giving the receive window back (the reader is behind); `resume` gives it all back. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.giveBack();
  }

  /** Counts `bytes` received against the stream's window; false when the peer overran it. */
  onReceived(bytes: number): boolean {
    if (bytes > this.windowBytes - this.unacknowledgedBytes) return false;
    this.unacknowledgedBytes += bytes;
    if (!this.paused) this.giveBack();
    return true;
  }

  private giveBack(): void {
    if (this.unacknowledgedBytes >= this.windowBytes / 2 && !this.closed && !this.remoteEnded) {
      this.connection.writeWindowUpdate(this.id, this.unacknowledgedBytes);
      this.unacknowledgedBytes = 0;
    }
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

/** Header fields from an object of headers (node:http2's form: a value may be a list). */
export function headerFields(headers: Record<string, string | number | readonly string[] | undefined>): HeaderField[] {
  const out: HeaderField[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.push([name.toLowerCase(), String(v)]);
    else out.push([name.toLowerCase(), String(value)]);
  }
  return out;
}

/** Header fields as one object (names are lower case in HTTP/2); repeated names joined with ", ". */
export function headerObject(fields: readonly HeaderField[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of fields) out[name] = name in out ? `${out[name]}, ${value}` : value;
  return out;
}
