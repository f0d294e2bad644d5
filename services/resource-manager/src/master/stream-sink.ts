// One server-side stream the master writes to (a framework's events, an agent's commands),
// with a bound on what it queues for a peer that does not read, and one way to end it.
import * as grpc from '@grpc/grpc-js';

export interface StreamSink<T> {
  readonly closed: boolean;
  /** Peer address, for logs. */
  readonly peer: string;
  send(message: T): boolean;
  /** Ends the stream: with an error status, or cleanly. Idempotent. */
  close(error?: grpc.ServiceError): void;
  /** Called once when the stream ends, whoever ended it. */
  onClose(listener: () => void): void;
}

type WritableCall<T> = grpc.ServerWritableStream<unknown, T> | grpc.ServerDuplexStream<unknown, T>;

export function streamSink<T>(call: WritableCall<T>, queueMessagesMax: number): StreamSink<T> {
  let closed = false;
  const listeners: Array<() => void> = [];
  const finish = (): void => {
    if (closed) return;
    closed = true;
    for (const listener of listeners.splice(0)) listener();
  };
  call.on('close', finish);
  call.on('cancelled', finish);
  call.on('error', finish);
  call.on('finish', finish);
  const sink: StreamSink<T> = {
    get closed() {
      return closed;
    },
    peer: call.getPeer(),
    send(message: T): boolean {
      if (closed) return false;
      call.write(message);
      if (call.writableLength > queueMessagesMax) {
        sink.close(Object.assign(new Error('stream reader is too slow: too many queued messages'), { code: grpc.status.RESOURCE_EXHAUSTED, details: 'stream reader is too slow', metadata: new grpc.Metadata() }));
        return false;
      }
      return true;
    },
    close(error?: grpc.ServiceError): void {
      if (closed) return;
      finish();
      // grpc-js: an 'error' emitted on a server stream becomes the call's final status.
      if (error) call.emit('error', error);
      else call.end();
    },
    onClose(listener: () => void): void {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
  return sink;
}
