// One bidirectional gRPC call served on node:http2 directly (grpc-server.ts: `rawStreams`): it
// reads and writes like a grpc-js ServerDuplexStream — 'data' per request message, 'end' when
// the client half-closes, 'error' when a request could not be read (the call is then ended
// with its status), 'close' when the stream is gone — and ends with a status and trailing
// metadata as grpc-js puts them on the wire.
import { EventEmitter } from 'node:events';
import type * as http2 from 'node:http2';
import type * as grpc from '@grpc/grpc-js';
import { GRPC_STATUS, MessageDeframer, READABLE_ENCODINGS, statusTrailers, WireError, writeMessage, type MessageEncoding } from '@ensemble/proto';
import type { MethodDefinition } from '@grpc/proto-loader';

export interface StreamStatus {
  code: number;
  details?: string;
  metadata?: grpc.Metadata;
}

export class ServerStreamCall<Req, Res> extends EventEmitter {
  /** Messages handed to HTTP/2 whose bytes have not left yet (a client that does not read makes it grow). */
  private framesInFlight = 0;
  private ended = false;
  private trailers: http2.OutgoingHttpHeaders = statusTrailers(GRPC_STATUS.OK, '');

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly method: MethodDefinition<Req, Res, Req, Res>,
    maxReceiveBytes: number,
    encoding: MessageEncoding = 'identity',
  ) {
    super();
    // Responses go uncompressed, which gRPC allows whatever the client accepts.
    stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-accept-encoding': READABLE_ENCODINGS }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers(this.trailers));
    const deframer = new MessageDeframer(maxReceiveBytes, encoding);
    stream.on('data', (chunk: Buffer) => {
      if (this.ended) return;
      try {
        for (const body of deframer.push(chunk)) {
          let msg: Req;
          try {
            msg = method.requestDeserialize(body);
          } catch (err) {
            throw new WireError(`cannot parse the request: ${err instanceof Error ? err.message : String(err)}`, GRPC_STATUS.INTERNAL);
          }
          this.emit('data', msg);
          if (this.ended) return;
        }
      } catch (err) {
        const status = err instanceof WireError ? err.status : GRPC_STATUS.INTERNAL;
        const details = err instanceof Error ? err.message : String(err);
        this.end({ code: status, details });
        // Already answered with that status; a handler without an 'error' listener must not crash the server.
        if (this.listenerCount('error') > 0) this.emit('error', Object.assign(new Error(details), { code: status }));
      }
    });
    stream.on('end', () => this.emit('end'));
    stream.on('error', () => undefined); // 'close' follows, and is what callers act on
    stream.on('close', () => this.emit('close'));
  }

  /** The peer's address, as grpc-js gives it ("127.0.0.1:51234"). */
  getPeer(): string {
    const socket = this.stream.session?.socket;
    return socket ? `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}` : 'unknown';
  }

  write(msg: Res): void {
    if (this.ended || this.stream.destroyed) return;
    this.framesInFlight += 1;
    writeMessage(this.stream, this.method.responseSerialize(msg), () => {
      this.framesInFlight -= 1;
    });
  }

  /** Messages written and not yet sent, as grpc-js's object-mode writableLength counts them. */
  get writableLength(): number {
    return this.framesInFlight;
  }

  /** Ends the call with `status` (OK when omitted) after the messages already written. */
  end(status?: StreamStatus): void {
    if (this.ended) return;
    this.ended = true;
    const code = status?.code ?? GRPC_STATUS.OK;
    this.trailers = { ...(status?.metadata?.toHttp2Headers() ?? {}), ...statusTrailers(code, status?.details ?? '') };
    if (this.stream.destroyed) return;
    if (!this.stream.writableEnded) this.stream.end();
    // The client need not finish sending: a call ended by the server is over either way.
    this.stream.resume();
  }
}
