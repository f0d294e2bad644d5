// The client end of HTTP/2: dials, opens streams (odd ids), and refuses what a GOAWAY says the
// server never processed. The coordination peer links dial with it (http2-connection.ts says why).
import * as net from 'node:net';
import { CONNECTION_PREFACE, H2_ERROR, Http2Connection, type Http2ConnectionOptions, Http2Stream, type Http2StreamHandlers, SETTING, WINDOW_MAX } from './http2-connection';
import type { HeaderField } from './hpack';

export interface Http2ClientOptions extends Http2ConnectionOptions {
  host: string;
  port: number;
}

/**
 * One connection. Events: 'connect' (the server's first SETTINGS arrived: it speaks HTTP/2) and
 * 'close' (reason), once, after every stream's onClose.
 */
export class Http2ClientConnection extends Http2Connection {
  protected readonly peerName = 'server';
  private nextStreamId = 1;
  /** Streams above this id were refused by a GOAWAY; no new ones may open. */
  private goawayLastStreamId = -1;

  constructor(opts: Http2ClientOptions) {
    super(net.connect({ host: opts.host, port: opts.port }), opts);
    this.socket.on('data', (chunk: Buffer) => this.onSocketData(chunk));
    // Written now, sent once the socket connects: a client may send frames right after its preface.
    this.socket.cork();
    this.socket.write(CONNECTION_PREFACE);
    this.writeSettings([
      [SETTING.ENABLE_PUSH, 0],
      [SETTING.INITIAL_WINDOW_SIZE, this.windowBytes],
      [SETTING.MAX_HEADER_LIST_SIZE, this.maxHeaderListBytes],
    ]);
    this.socket.uncork();
    this.startKeepalive();
  }

  /** Opens a stream with `fields` as its request headers (pseudo-headers first). */
  request(fields: readonly HeaderField[], handlers: Http2StreamHandlers, opts: { endStream?: boolean } = {}): Http2Stream {
    const id = this.nextStreamId;
    const stream = new Http2Stream(this, id, handlers, this.streamSendWindowInitial, this.windowBytes);
    if (this.closedReason !== null) {
      queueMicrotask(() => stream.closeWith(this.closedReason ?? 'closed', H2_ERROR.CANCEL));
      return stream;
    }
    if (this.goawayLastStreamId >= 0 || this.streams.size >= this.peerConcurrentStreamsMax || id > WINDOW_MAX) {
      queueMicrotask(() => stream.closeWith('the server accepts no more streams on this connection', H2_ERROR.REFUSED_STREAM));
      return stream;
    }
    this.nextStreamId += 2;
    this.streams.set(id, stream);
    this.writeHeaderBlock(id, this.encoder.encode(fields), opts.endStream ?? false);
    if (opts.endStream) stream.localEnded = true;
    return stream;
  }

  protected isLocalStreamId(id: number): boolean {
    return id % 2 === 1;
  }

  protected isIdlePeerStream(id: number): boolean {
    return id >= this.nextStreamId;
  }

  protected onUnknownStreamHeaders(streamId: number): void {
    if (this.isIdlePeerStream(streamId)) this.fail(H2_ERROR.PROTOCOL_ERROR, `HEADERS on stream ${streamId}, never opened`);
  }

  /** This end accepts no streams from the server (no push). */
  protected lastPeerStreamId(): number {
    return 0;
  }

  protected override onPeerGoaway(lastStreamId: number): void {
    this.goawayLastStreamId = lastStreamId;
  }
}
