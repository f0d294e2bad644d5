// One `Session` gRPC stream to one server. A thin shell: it forwards messages and reports, once,
// that the stream is gone. Once the server has said it takes batches, messages sent in one turn
// of the event loop (say, a Promise.all of requests) leave as one ClientBatch.
import { splitIntoBatches, type coordV1 } from '@ensemble/proto';
import { CLIENT_BATCH_BYTES_MAX } from './limits';
import type { SessionCall } from './session-call';

export interface StreamHandlers {
  onMessage(conn: StreamConnection, msg: coordV1.ServerMessage__Output): void;
  /** Called once when the stream fails or ends, unless the client closed it itself. */
  onClosed(conn: StreamConnection, reason: string): void;
}

export class StreamConnection {
  private closed = false;
  private batching = false;
  private outbox: coordV1.ClientMessage[] = [];
  private readonly flushOutbox = (): void => this.writeOutbox();

  constructor(readonly server: string, private readonly call: SessionCall, private readonly handlers: StreamHandlers) {
    call.on('data', (msg: coordV1.ServerMessage__Output) => this.receive(msg));
    // An 'error' listener must stay attached for the life of the call, or Node throws.
    call.on('error', (err: Error) => this.lost(`stream error: ${err.message}`));
    call.on('end', () => this.lost('stream ended by server'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The server takes ClientBatch (it said so when the session connected). */
  enableBatching(): void {
    this.batching = true;
  }

  /** Writes one message (at the end of this turn when batching); false when the stream is already gone. */
  send(msg: coordV1.ClientMessage): boolean {
    if (this.closed) return false;
    if (!this.batching) this.call.write(msg);
    else if (this.outbox.push(msg) === 1) process.nextTick(this.flushOutbox);
    return true;
  }

  /**
   * Half-closes a stream whose server has said its last word (the session ended) and lets the
   * server finish the call with its status; cancels only if that status does not come soon.
   * Cancelling at once would cost a reset stream and an error on both sides for every session.
   */
  finish(graceMs: number): void {
    if (this.closed) return;
    this.writeOutbox();
    this.closed = true;
    this.call.end();
    const timer = setTimeout(() => this.call.cancel(), graceMs);
    timer.unref();
    this.call.on('status', () => clearTimeout(timer));
  }

  /** Tears the stream down without reporting it (the caller already knows). */
  cancel(): void {
    if (this.closed) return;
    this.closed = true;
    this.outbox = [];
    this.call.cancel();
  }

  private writeOutbox(): void {
    const messages = this.outbox;
    if (this.closed || messages.length === 0) return;
    this.outbox = [];
    if (messages.length === 1) return void this.call.write(messages[0]);
    for (const batch of splitIntoBatches(messages, CLIENT_BATCH_BYTES_MAX)) {
      this.call.write(batch.length === 1 ? batch[0] : { batch: { messages: batch } });
    }
  }

  private receive(msg: coordV1.ServerMessage__Output): void {
    if (this.closed) return;
    if (msg.kind !== 'batch') return this.handlers.onMessage(this, msg);
    for (const inner of msg.batch?.messages ?? []) {
      if (this.closed) return;
      if (inner.kind === 'batch') return this.lost('the server nested a batch');
      this.handlers.onMessage(this, inner);
    }
  }

  private lost(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.outbox = [];
    this.call.cancel();
    this.handlers.onClosed(this, reason);
  }
}
