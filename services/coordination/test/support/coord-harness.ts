// Test harness: a real coordination server process and raw gRPC access to it (the wire
// protocol as any client in any language sees it).
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { freeTmpDir, startServiceProcess, type ServiceProcess, type TmpDir } from '@ensemble/common';
import { loadCoordV1, type coordV1 } from '@ensemble/proto';
import { SERVER_NODE_FLAGS } from '../../src/heap-growth';

export const SERVER_MAIN = path.resolve(__dirname, '../../dist/main.js');

export interface ServerHandle {
  proc: ServiceProcess;
  port: number;
  adminPort: number;
  dataDir: string;
}

export async function startServer(dataDir: string, extraArgs: string[] = []): Promise<ServerHandle> {
  const proc = await startServiceProcess({
    command: SERVER_MAIN,
    nodeArgs: [...SERVER_NODE_FLAGS],
    args: ['--host', '127.0.0.1', '--port', '0', '--admin-port', '0', '--data-dir', dataDir, '--tick', '50ms', '--min-session-timeout', '300ms', ...extraArgs],
  });
  return { proc, port: Number(proc.ready.clientPort), adminPort: Number(proc.ready.adminPort), dataDir };
}

export function tmpDataDir(): TmpDir {
  return freeTmpDir('coord-it-');
}

export type Client = InstanceType<ReturnType<typeof loadCoordV1>['coord']['v1']['Coordination']>;

export function unaryClient(port: number): Client {
  const Coordination = loadCoordV1().coord.v1.Coordination;
  return new Coordination(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

/** Promisified unary call: resolves the response or rejects with the grpc ServiceError. */
export function call<Res>(client: Client, method: string, req: unknown, metadata = new grpc.Metadata()): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, (r: unknown, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method];
    fn.call(client, req, metadata, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

export function errorCodeOf(err: unknown): string | undefined {
  const md = (err as grpc.ServiceError)?.metadata;
  return md ? String(md.get('coord-error-code')[0] ?? '') : undefined;
}

/**
 * One Session stream with a queue of everything the server sent, in order, so tests can assert
 * the exact interleaving of responses and watch events.
 */
export class RawSession {
  readonly received: coordV1.ServerMessage__Output[] = [];
  /** ServerBatch messages received (only after connecting with acceptsBatches). */
  batchesReceived = 0;
  connected: coordV1.ConnectResponse__Output | null = null;
  private readonly waiters: Array<() => void> = [];
  private nextXid = 1;
  sessionId = 0;
  password: Buffer = Buffer.alloc(0);
  ended: coordV1.SessionEnded__Output | null = null;
  streamError: grpc.ServiceError | null = null;
  closed = false;
  private readonly stream: grpc.ClientDuplexStream<coordV1.ClientMessage, coordV1.ServerMessage__Output>;

  constructor(client: Client) {
    this.stream = client.Session();
    this.stream.on('data', (m: coordV1.ServerMessage__Output) => {
      // A batch counts as its messages, in order (as a client must treat it).
      if (m.kind === 'batch') this.batchesReceived++;
      for (const inner of m.kind === 'batch' ? (m.batch?.messages ?? []) : [m]) {
        this.received.push(inner);
        if (inner.kind === 'ended') this.ended = inner.ended ?? null;
      }
      this.wake();
    });
    this.stream.on('error', (e: grpc.ServiceError) => {
      this.streamError = e;
      this.closed = true;
      this.wake();
    });
    this.stream.on('end', () => {
      this.closed = true;
      this.wake();
    });
  }

  static async open(client: Client, connect: coordV1.ConnectRequest = { timeoutMs: 5000 }): Promise<RawSession> {
    const s = new RawSession(client);
    s.send({ connect });
    const m = await s.next((x) => x.kind === 'connected' || x.kind === 'ended');
    if (m.kind === 'connected') {
      s.connected = m.connected!;
      s.sessionId = m.connected!.sessionId;
      s.password = m.connected!.password;
    }
    return s;
  }

  send(msg: coordV1.ClientMessage): void {
    this.stream.write(msg);
  }

  /** Sends a request; returns its xid. */
  request(op: Omit<coordV1.Request, 'xid'>): number {
    const xid = this.nextXid++;
    this.send({ request: { xid, ...op } });
    return xid;
  }

  async response(xid: number, timeoutMs = 10_000): Promise<coordV1.Response__Output> {
    const m = await this.next((x) => x.kind === 'response' && x.response!.xid === xid, timeoutMs);
    return m.response!;
  }

  /** Sends a request and waits for its response. */
  async do(op: Omit<coordV1.Request, 'xid'>): Promise<coordV1.Response__Output> {
    return this.response(this.request(op));
  }

  events(): coordV1.WatchEvent__Output[] {
    return this.received.filter((m) => m.kind === 'event').map((m) => m.event!);
  }

  /** Resolves with the first received message (from the start) matching `pred`. */
  next(pred: (m: coordV1.ServerMessage__Output) => boolean, timeoutMs = 10_000): Promise<coordV1.ServerMessage__Output> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`timed out waiting for a message; got ${JSON.stringify(this.received.map((r) => r.kind))}`)), timeoutMs);
      const check = (): void => {
        const found = this.received.find(pred);
        if (found) {
          clearTimeout(deadline);
          resolve(found);
        } else if (this.closed) {
          clearTimeout(deadline);
          reject(new Error(`stream closed: ${this.streamError?.message ?? 'ended'}`));
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  /** Drops the connection without closing the session (as a network failure would). */
  drop(): void {
    this.stream.cancel();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.send({ close: {} });
    await this.next((m) => m.kind === 'ended').catch(() => undefined);
    this.stream.end();
  }

  private wake(): void {
    const ws = this.waiters.splice(0);
    for (const w of ws) w();
  }
}
