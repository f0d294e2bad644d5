// One client connection: the `Session` bidirectional stream. The first message connects (new
// session or resume); then requests run in the order they came, and their responses leave in
// that order. Consecutive writes are pipelined into the commit log; a read waits until every
// earlier request of the session has been answered, so it observes them (FIFO client order),
// and a write after a pending read waits for that read. A `sync` or a linearizable read in an
// ensemble first waits for this server to catch up with the leader (asynchronously): nothing
// after it starts before it is answered. Watch events are written to the stream as the change
// is applied, so they precede any later response that reflects the change.
import type { ServerStreamCall } from '@ensemble/common';
import * as grpc from '@grpc/grpc-js';
import { splitIntoBatches, type coordV1 } from '@ensemble/proto';
import type { Logger } from 'winston';
import type { Limits } from '../limits';
import type { ErrorCode } from '../tree/types';
import { Coordinator, type SessionSink } from './coordinator';
import type { CoordMetrics } from './metrics';
import { domainStatus } from './error-status';

export type SessionCall = ServerStreamCall<coordV1.ClientMessage__Output, coordV1.ServerMessage>;

/** Estimated bytes of one ServerBatch: far below a client's default 4 MiB message limit. */
const SERVER_BATCH_BYTES_MAX = 256 * 1024;

interface Item {
  req: coordV1.Request__Output | null; // null: the client's close
  write: boolean;
  started: boolean;
  resp: coordV1.Response | null;
  startedAtNs: bigint;
}

export interface SessionStreamDeps {
  coordinator: Coordinator;
  limits: Limits;
  serverId: string;
  logger: Logger;
  metrics?: CoordMetrics;
}

export function handleSessionStream(deps: SessionStreamDeps, call: SessionCall): void {
  new SessionStream(deps, call).start();
}

class SessionStream implements SessionSink {
  private state: 'new' | 'connecting' | 'active' | 'done' = 'new';
  private sessionId = 0;
  private readonly queue: Item[] = [];
  private readonly coord: Coordinator;
  /** The client takes ServerBatch: messages ready together leave as one. */
  private batching = false;
  private outbox: coordV1.ServerMessage[] = [];
  private readonly flushOutbox = (): void => this.writeOutbox();

  constructor(
    private readonly deps: SessionStreamDeps,
    private readonly call: SessionCall,
  ) {
    this.coord = deps.coordinator;
  }

  start(): void {
    this.call.on('data', (msg: coordV1.ClientMessage__Output) => this.onMessage(msg));
    this.call.on('end', () => this.finish(null));
    this.call.on('error', () => this.finish(null));
    this.call.on('close', () => this.finish(null));
  }

  // ---- SessionSink ----

  sendEvent(event: coordV1.WatchEvent): void {
    this.send({ event });
    this.deps.metrics?.watchEventsSent.inc();
  }

  end(reason: ErrorCode): void {
    if (this.state === 'done') return;
    this.send({ ended: { reason } });
    this.finish(null);
  }

  drop(reason: string): void {
    this.fail(grpc.status.UNAVAILABLE, 'CONNECTION_LOSS', reason);
  }

  // ---- inbound ----

  private onMessage(msg: coordV1.ClientMessage__Output): void {
    if (msg.kind === 'batch') {
      for (const inner of msg.batch?.messages ?? []) {
        if (this.state === 'done') return;
        if (inner.kind === 'batch') {
          this.fail(grpc.status.INVALID_ARGUMENT, 'MARSHALLING_ERROR', 'batches do not nest');
          return;
        }
        this.onMessage(inner);
      }
      return;
    }
    if (this.state === 'done') return;
    if (this.state === 'new') {
      if (msg.kind !== 'connect' || !msg.connect) {
        this.fail(grpc.status.FAILED_PRECONDITION, 'BAD_ARGUMENTS', 'the first message of a session stream must be connect');
        return;
      }
      this.connect(msg.connect);
      return;
    }
    if (this.sessionId !== 0) this.coord.touch(this.sessionId);
    switch (msg.kind) {
      case 'request':
        if (!msg.request) break;
        this.enqueue(msg.request);
        return;
      case 'ping':
        this.send({ pong: { zxid: this.coord.lastZxid } });
        return;
      case 'close':
        this.queue.push({ req: null, write: true, started: false, resp: null, startedAtNs: 0n });
        this.pump();
        return;
      case 'connect':
        this.fail(grpc.status.FAILED_PRECONDITION, 'BAD_ARGUMENTS', 'connect may only be sent once per stream');
        return;
    }
    this.fail(grpc.status.INVALID_ARGUMENT, 'MARSHALLING_ERROR', 'message has no content');
  }

  private connect(req: coordV1.ConnectRequest__Output): void {
    this.state = 'connecting';
    this.batching = req.acceptsBatches;
    if (!this.coord.servesClients) {
      // ZooKeeper: a server that is not part of a quorum serves no clients; they try another.
      this.fail(grpc.status.UNAVAILABLE, 'CONNECTION_LOSS', 'this server is not in contact with a quorum');
      return;
    }
    if (req.lastZxidSeen > this.coord.lastZxid) {
      // ZooKeeper refuses a client that has seen a newer state than this server has.
      this.fail(grpc.status.UNAVAILABLE, 'CONNECTION_LOSS', `server is behind the client (zxid ${this.coord.lastZxid} < ${req.lastZxidSeen})`);
      return;
    }
    if (req.sessionId) {
      const r = this.coord.checkResume(req.sessionId, req.password);
      if (!r.ok) {
        this.end(r.code);
        return;
      }
      this.activate(req.sessionId, req.password, r.timeoutMs);
      return;
    }
    this.coord.createSession(req.timeoutMs, (grant) => {
      if (this.state === 'done') {
        // The client went away while its session was being created: do not leak the session.
        if ('sessionId' in grant) this.coord.closeSession(grant.sessionId);
        return;
      }
      if ('error' in grant) {
        this.fail(grpc.status.RESOURCE_EXHAUSTED, grant.error, grant.message);
        return;
      }
      this.activate(grant.sessionId, grant.password, grant.timeoutMs);
    });
  }

  private activate(sessionId: number, password: Buffer, timeoutMs: number): void {
    this.sessionId = sessionId;
    this.state = 'active';
    this.coord.attach(sessionId, this);
    this.send({
      connected: { sessionId, password, timeoutMs, lastZxid: this.coord.lastZxid, serverId: this.deps.serverId, acceptsBatches: true },
    });
    this.deps.logger.debug('session connected', { sessionId, timeoutMs });
    this.pump();
  }

  private enqueue(req: coordV1.Request__Output): void {
    const write = Coordinator.isWrite(req);
    const item: Item = { req, write, started: false, resp: null, startedAtNs: process.hrtime.bigint() };
    if (this.queue.length >= this.deps.limits.maxOutstandingPerSession) {
      item.started = true;
      item.resp = { xid: req.xid, zxid: this.coord.lastZxid, error: 'THROTTLED_OP', errorMessage: 'too many outstanding requests' };
    }
    this.queue.push(item);
    this.pump();
  }

  // ---- ordering ----

  private pump(): void {
    if (this.state !== 'active') return;
    for (let i = 0; i < this.queue.length && this.state === 'active'; i++) {
      const item = this.queue[i];
      if (item.started) {
        if (!item.write && !item.resp) return; // a sync or linearizable read in progress: a barrier
        continue;
      }
      if (item.write) {
        this.startWrite(item);
        continue;
      }
      if (i !== 0) return; // a read runs only when everything before it has been answered
      item.started = true;
      if (this.coord.needsBarrier(item.req!)) {
        this.startBarrier(item);
        return;
      }
      item.resp = this.coord.executeLocal(this.sessionId, item.req!);
      this.flush();
      i = -1; // the queue moved; look again from its head
    }
  }

  private startBarrier(item: Item): void {
    this.coord.executeAfterBarrier(this.sessionId, item.req!, (resp) => {
      if (this.state === 'done') return;
      item.resp = resp;
      this.flush();
      this.pump();
    });
  }

  private startWrite(item: Item): void {
    item.started = true;
    if (item.req === null) {
      // Applying the close ends this stream (Coordinator.endSession → end('OK')).
      this.coord.closeSession(this.sessionId);
      return;
    }
    this.coord.executeWrite(this.sessionId, item.req, (resp) => {
      item.resp = resp;
      this.flush();
      this.pump();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.queue[0].resp) {
      const item = this.queue.shift()!;
      this.send({ response: item.resp! });
      this.deps.metrics?.observeRequest(item.req?.op ?? 'close', item.resp!.error as string, item.startedAtNs);
    }
  }

  // ---- outbound ----

  private send(msg: coordV1.ServerMessage): void {
    if (this.state === 'done') return;
    if (!this.batching) return this.write(msg);
    // Everything sent in this turn of the event loop (say, the responses of one group commit)
    // leaves together once the turn is over.
    if (this.outbox.push(msg) === 1) process.nextTick(this.flushOutbox);
  }

  private writeOutbox(): void {
    const messages = this.outbox;
    if (messages.length === 0) return;
    this.outbox = [];
    if (messages.length === 1) return this.write(messages[0]);
    for (const batch of splitIntoBatches(messages, SERVER_BATCH_BYTES_MAX)) {
      if (this.finished) return;
      this.write(batch.length === 1 ? batch[0] : { batch: { messages: batch } });
    }
  }

  // A getter, so that the compiler does not assume the state unchanged across a call.
  private get finished(): boolean {
    return this.state === 'done';
  }

  private write(msg: coordV1.ServerMessage): void {
    this.call.write(msg);
    if (this.call.writableLength > this.deps.limits.maxQueuedMessagesPerStream) {
      // A client that does not read its stream would make the server buffer without bound.
      this.fail(grpc.status.RESOURCE_EXHAUSTED, 'THROTTLED_OP', 'client is not reading its stream');
    }
  }

  private fail(code: grpc.status, errorCode: string, message: string): void {
    if (this.state === 'done') return;
    this.finish({ ...domainStatus(errorCode, message), code });
  }

  private finish(status: Partial<grpc.StatusObject> | null): void {
    if (this.state === 'done') return;
    this.writeOutbox();
    if (this.finished) return; // the flush found a client that does not read, and failed it
    this.state = 'done';
    if (this.sessionId !== 0) this.coord.detach(this.sessionId, this);
    this.queue.length = 0;
    this.call.end(status ? { code: status.code ?? grpc.status.UNKNOWN, details: status.details, metadata: status.metadata } : undefined);
  }
}
