// One `Session` gRPC stream to one server. A thin shell: it forwards messages and reports, once,
// that the stream is gone.
import type * as grpc from '@grpc/grpc-js';
import type { coordV1 } from '@ensemble/proto';

export type SessionCall = grpc.ClientDuplexStream<coordV1.ClientMessage, coordV1.ServerMessage__Output>;

export interface StreamHandlers {
  onMessage(conn: StreamConnection, msg: coordV1.ServerMessage__Output): void;
  /** Called once when the stream fails or ends, unless the client closed it itself. */
  onClosed(conn: StreamConnection, reason: string): void;
}

export class StreamConnection {
  private closed = false;

  constructor(readonly server: string, private readonly call: SessionCall, private readonly handlers: StreamHandlers) {
    call.on('data', (msg: coordV1.ServerMessage__Output) => {
      if (!this.closed) handlers.onMessage(this, msg);
    });
    // An 'error' listener must stay attached for the life of the call, or Node throws.
    call.on('error', (err: Error) => this.lost(`stream error: ${err.message}`));
    call.on('end', () => this.lost('stream ended by server'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Writes one message; false when the stream is already gone. */
  send(msg: coordV1.ClientMessage): boolean {
    if (this.closed) return false;
    this.call.write(msg);
    return true;
  }

  /** Tears the stream down without reporting it (the caller already knows). */
  cancel(): void {
    if (this.closed) return;
    this.closed = true;
    this.call.cancel();
  }

  private lost(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.call.cancel();
    this.handlers.onClosed(this, reason);
  }
}
