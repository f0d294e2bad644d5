// One `coord.v1.Coordination/Session` call: a gRPC bidirectional stream on a shared HTTP/2
// connection. It reports like a grpc-js duplex call — 'data' per server message; then either
// 'end' (the server finished with OK) or 'error' (any other status, a reset, a lost
// connection); then 'status' — which is all StreamConnection listens to.
import { EventEmitter } from 'node:events';
import * as http2 from 'node:http2';
import { GRPC_STATUS, loadMethod, MessageDeframer, readStatus, requestHeaders, writeMessage, type coordV1 } from '@ensemble/proto';
import type { Channel } from './channel-pool';
import { MAX_RECEIVE_MESSAGE_BYTES } from './limits';

export interface CallStatus {
  code: number;
  details: string;
}

/** What the call failed with: `code` is the gRPC status. */
export class CallError extends Error {
  constructor(readonly code: number, readonly details: string) {
    super(`gRPC status ${code}: ${details}`);
    this.name = 'CallError';
  }
}

export interface SessionCall {
  write(msg: coordV1.ClientMessage): void;
  /** Half-closes: the server finishes the call with its status. */
  end(): void;
  cancel(): void;
  on(event: 'data', listener: (msg: coordV1.ServerMessage__Output) => void): this;
  on(event: 'error', listener: (err: CallError) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'status', listener: (status: CallStatus) => void): this;
}

type SessionMethod = ReturnType<typeof loadMethod<coordV1.ClientMessage, coordV1.ServerMessage__Output>>;

export function openSessionCall(channel: Channel): SessionCall {
  const method = loadMethod<coordV1.ClientMessage, coordV1.ServerMessage__Output>('coord/v1/coord.proto', 'coord.v1.Coordination', 'Session');
  return new Http2SessionCall(channel, method);
}

class Http2SessionCall extends EventEmitter implements SessionCall {
  private stream: http2.ClientHttp2Stream | null = null;
  private status: CallStatus | null = null;
  /** Why the stream broke, when it broke without a status. */
  private failure: CallStatus | null = null;
  private cancelled = false;
  private done = false;

  constructor(channel: Channel, private readonly method: SessionMethod) {
    super();
    let stream: http2.ClientHttp2Stream;
    try {
      stream = channel.connection().request(requestHeaders(method.path));
    } catch (err) {
      // The connection went away between the check and the request: report it like a lost one.
      process.nextTick(() => this.finish({ code: GRPC_STATUS.UNAVAILABLE, details: err instanceof Error ? err.message : String(err) }));
      return;
    }
    this.stream = stream;
    const deframer = new MessageDeframer(MAX_RECEIVE_MESSAGE_BYTES);
    const onStatus = (headers: http2.IncomingHttpHeaders): void => {
      const read = readStatus(headers);
      if (read) this.status = { code: read.status, details: read.message };
    };
    stream.on('response', onStatus); // a status here: a trailers-only answer (the call was refused)
    stream.on('trailers', onStatus);
    stream.on('data', (chunk: Buffer) => {
      if (this.done) return;
      let bodies: Buffer[];
      try {
        bodies = deframer.push(chunk);
      } catch (err) {
        this.failure = { code: GRPC_STATUS.INTERNAL, details: err instanceof Error ? err.message : String(err) };
        stream.close(http2.constants.NGHTTP2_CANCEL);
        return;
      }
      for (const body of bodies) {
        if (this.done) return;
        this.emit('data', this.method.responseDeserialize(body));
      }
    });
    stream.on('error', (err: Error) => {
      this.failure ??= { code: GRPC_STATUS.UNAVAILABLE, details: err.message };
    });
    const settle = (orElse: string): void => {
      if (this.cancelled) return this.finish({ code: GRPC_STATUS.CANCELLED, details: 'cancelled by the client' });
      this.finish(this.failure ?? this.status ?? { code: GRPC_STATUS.UNAVAILABLE, details: orElse });
    };
    // The server ended its side (trailers, or a trailers-only answer): the call is over, though
    // the stream itself closes only once our side ends too — end it now. (Ending, not a reset:
    // a reset is written out at once, a syscall per session closed; the end leaves with the
    // turn's other writes.)
    stream.on('end', () => {
      settle('the server ended the stream without a status');
      if (!stream.writableEnded) stream.end();
    });
    stream.on('close', () => settle(`the stream closed without a status (HTTP/2 code ${stream.rstCode ?? 0})`));
  }

  write(msg: coordV1.ClientMessage): void {
    const stream = this.stream;
    if (this.done || !stream || stream.writableEnded) return;
    writeMessage(stream, this.method.requestSerialize(msg));
  }

  end(): void {
    const stream = this.stream;
    if (stream && !stream.writableEnded) stream.end();
  }

  cancel(): void {
    if (this.done) return;
    this.cancelled = true;
    const stream = this.stream;
    if (stream) stream.close(http2.constants.NGHTTP2_CANCEL);
    else this.finish({ code: GRPC_STATUS.CANCELLED, details: 'cancelled by the client' });
  }

  private finish(status: CallStatus): void {
    if (this.done) return;
    this.done = true;
    if (status.code === GRPC_STATUS.OK) this.emit('end');
    else this.emit('error', new CallError(status.code, status.details));
    this.emit('status', status);
  }
}
