// One bidirectional gRPC call served on @ensemble/proto's HTTP/2 server directly (grpc-server.ts:
// `rawStreams`): it reads and writes like a grpc-js ServerDuplexStream — 'data' per request
// message, 'end' when the client half-closes, 'error' when a request could not be read (the call
// is then ended with its status), 'close' when the stream is gone — and ends with a status and
// trailing metadata as grpc-js puts them on the wire.
import { EventEmitter } from 'node:events';
import type * as grpc from '@grpc/grpc-js';
import { GRPC_RESPONSE_FIELDS, GRPC_STATUS, type Http2Stream, MessageDeframer, statusFields, WireError, writeMessage, type MessageEncoding } from '@ensemble/proto';
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
  private closed = false;

  constructor(
    private readonly stream: Http2Stream,
    private readonly peer: string,
    private readonly method: MethodDefinition<Req, Res, Req, Res>,
    maxReceiveBytes: number,
    encoding: MessageEncoding = 'identity',
  ) {
    super();
    stream.sendHeaders(GRPC_RESPONSE_FIELDS);
    const deframer = new MessageDeframer(maxReceiveBytes, encoding);
    stream.handlers = {
      onHeaders: () => undefined, // gRPC clients send no trailers
      onData: (chunk) => this.onData(deframer, chunk),
      onEnd: () => this.emit('end'),
      onClose: () => {
        this.closed = true;
        this.emit('close');
      },
    };
  }

  private onData(deframer: MessageDeframer, chunk: Buffer): void {
    if (this.ended) return;
    try {
      for (const body of deframer.push(chunk)) {
        let msg: Req;
        try {
          msg = this.method.requestDeserialize(body);
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
  }

  /** The peer's address, as grpc-js gives it ("127.0.0.1:51234"). */
  getPeer(): string {
    return this.peer;
  }

  write(msg: Res): void {
    if (this.ended || this.closed) return;
    this.framesInFlight += 1;
    writeMessage(this.stream, this.method.responseSerialize(msg), () => {
      this.framesInFlight -= 1;
    });
  }

  /** Messages written and not yet sent, as grpc-js's object-mode writableLength counts them. */
  get writableLength(): number {
    return this.framesInFlight;
  }

  /**
   * Ends the call with `status` (OK when omitted) after the messages already written. The client
   * need not finish sending: the server resets the stream (NO_ERROR) once its trailers are out.
   */
  end(status?: StreamStatus): void {
    if (this.ended) return;
    this.ended = true;
    if (this.closed) return;
    const code = status?.code ?? GRPC_STATUS.OK;
    this.stream.end(statusFields(code, status?.details ?? '', status?.metadata?.toHttp2Headers()));
  }
}
