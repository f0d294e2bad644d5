// The server end of HTTP/2: takes an accepted socket, checks the client's connection preface, and
// hands each stream the client opens (odd ids) to the 'stream' listener with its request headers.
// The coordination service's client port serves its Session streams on it, so that an answer
// leaves when it is written (http2-connection.ts says why that matters).
import type * as net from 'node:net';
import { CONNECTION_PREFACE, H2_ERROR, Http2Connection, type Http2ConnectionOptions, Http2Stream, SETTING } from './http2-connection';
import type { HeaderField } from './hpack';

export interface Http2ServerOptions extends Http2ConnectionOptions {
  /** Streams a client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). Default 1000. */
  maxConcurrentStreams?: number;
  /** Streams a client may reset in one second before the connection is dropped (rapid reset). Default 1000. */
  maxResetsPerSecond?: number;
}

const CONCURRENT_STREAMS_DEFAULT = 1000;
const RESETS_PER_SECOND_DEFAULT = 1000;

/**
 * One accepted connection. Events: 'stream' (stream, fields: the request's header fields), for
 * each stream the client opens, which the listener answers (`stream.handlers`, `sendHeaders`,
 * `write`, `end(trailers)`); 'close' (reason), once, after every stream's onClose.
 */
export class Http2ServerConnection extends Http2Connection {
  protected readonly peerName = 'client';
  private readonly concurrentStreamsMax: number;
  private readonly resetsPerSecondMax: number;
  /** Bytes of the client's connection preface still to check. */
  private prefaceLeft = CONNECTION_PREFACE.length;
  /** The highest stream id the client has opened. */
  private highestStreamId = 0;
  private goawaySent = false;
  private resets = { windowStartMs: 0, count: 0 };

  constructor(socket: net.Socket, opts: Http2ServerOptions = {}) {
    super(socket, opts);
    this.concurrentStreamsMax = opts.maxConcurrentStreams ?? CONCURRENT_STREAMS_DEFAULT;
    this.resetsPerSecondMax = opts.maxResetsPerSecond ?? RESETS_PER_SECOND_DEFAULT;
    this.socket.on('data', (chunk: Buffer) => this.onClientData(chunk));
    this.socket.cork();
    this.writeSettings([
      [SETTING.MAX_CONCURRENT_STREAMS, this.concurrentStreamsMax],
      [SETTING.INITIAL_WINDOW_SIZE, this.windowBytes],
      [SETTING.MAX_HEADER_LIST_SIZE, this.maxHeaderListBytes],
    ]);
    this.socket.uncork();
    this.startKeepalive();
  }

  /** "address:port" of the client, as grpc-js names a call's peer. */
  get remoteAddress(): string {
    return `${this.socket.remoteAddress ?? 'unknown'}:${this.socket.remotePort ?? 0}`;
  }

  /** Open streams. */
  get streamCount(): number {
    return this.streams.size;
  }

  /** Graceful close: a GOAWAY, no new streams, and the connection closes once the open ones are done. */
  goaway(): void {
    if (this.closedReason !== null || this.goawaySent) return;
    this.goawaySent = true;
    this.writeGoaway(this.highestStreamId, H2_ERROR.NO_ERROR);
    this.closeIfDrained();
  }

  private onClientData(chunk: Buffer): void {
    if (this.prefaceLeft > 0) {
      const n = Math.min(chunk.length, this.prefaceLeft);
      const at = CONNECTION_PREFACE.length - this.prefaceLeft;
      if (!chunk.subarray(0, n).equals(CONNECTION_PREFACE.subarray(at, at + n))) return this.close('not an HTTP/2 client: no connection preface');
      this.prefaceLeft -= n;
      if (n === chunk.length) return;
      chunk = chunk.subarray(n);
    }
    this.onSocketData(chunk);
  }

  protected isLocalStreamId(id: number): boolean {
    return id % 2 === 0;
  }

  protected isIdlePeerStream(id: number): boolean {
    return id % 2 === 0 || id > this.highestStreamId;
  }

  protected lastPeerStreamId(): number {
    return this.highestStreamId;
  }

  /** A client's HEADERS on a new stream opens it; on a stream closed here it is too late, and dropped. */
  protected onUnknownStreamHeaders(streamId: number, fields: HeaderField[], endStream: boolean): void {
    if (streamId % 2 === 0) return this.fail(H2_ERROR.PROTOCOL_ERROR, `HEADERS on stream ${streamId}, which a client cannot open`);
    if (streamId <= this.highestStreamId) return;
    this.highestStreamId = streamId;
    // After a GOAWAY the client learns which streams were never processed: these are ignored.
    if (this.goawaySent) return;
    if (this.streams.size >= this.concurrentStreamsMax) return this.writeRstStream(streamId, H2_ERROR.REFUSED_STREAM);
    const method = fields.find(([name]) => name === ':method')?.[1];
    const path = fields.find(([name]) => name === ':path')?.[1];
    // A request without its pseudo-headers is malformed (RFC 9113 §8.3.1): a stream error.
    if (!method || !path) return this.writeRstStream(streamId, H2_ERROR.PROTOCOL_ERROR);
    const stream = new Http2Stream(this, streamId, undefined, this.streamSendWindowInitial, this.windowBytes);
    stream.remoteEnded = endStream;
    stream.resetOnLocalEnd = true;
    this.streams.set(streamId, stream);
    this.emit('stream', stream, fields);
  }

  /** Opening and resetting streams in a loop costs the server work the client does not pay for (CVE-2023-44487). */
  protected override onPeerReset(): void {
    const now = Date.now();
    if (now - this.resets.windowStartMs >= 1000) this.resets = { windowStartMs: now, count: 0 };
    if (++this.resets.count > this.resetsPerSecondMax) this.fail(H2_ERROR.ENHANCE_YOUR_CALM, `more than ${this.resetsPerSecondMax} streams reset in a second`);
  }

  protected override onStreamGone(): void {
    if (this.goawaySent) this.closeIfDrained();
  }

  private closeIfDrained(): void {
    if (this.streams.size === 0) this.close('closed after a GOAWAY', true);
  }
}
