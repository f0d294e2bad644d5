// A client of the leading master's Operator API: finds the leader through the coordination
// service (or starts from a given master), and follows a standby's redirect.
import * as grpc from '@grpc/grpc-js';
import { CoordClient } from '@ensemble/coord-client';
import type { rmV1 } from '@ensemble/proto';
import { readMasters } from '../leader-detector';
import { CLIENT_CHANNEL_OPTIONS, loadRmV1 } from '../proto';
import { leaderHint, rmErrorCode } from '../rm-errors';

export const REDIRECTS_MAX = 3;

export interface LeaderSource {
  /** Coordination servers (host:port,...): the leader is read from `<coordRoot>/masters`. */
  readonly coord?: string;
  readonly coordRoot?: string;
  /** A master to start from instead (it redirects when it is not leading). */
  readonly master?: string;
  readonly timeoutMs?: number;
}

/** The leading master's address from the coordination service (undefined: none leads). */
export async function findLeader(source: LeaderSource): Promise<string | undefined> {
  if (source.master) return source.master;
  const coord = await CoordClient.connect(source.coord ?? '127.0.0.1:2181', { connectTimeoutMs: source.timeoutMs ?? 5000, sessionTimeoutMs: 10_000 });
  try {
    return (await readMasters(coord, source.coordRoot ?? '/rm'))[0]?.address;
  } finally {
    await coord.close();
  }
}

type UnaryMethod = 'GetLeader' | 'ListAgents' | 'ListFrameworks' | 'ListTasks' | 'GetTask' | 'KillTask' | 'DrainAgent' | 'MarkAgentGone';

export class OperatorClient {
  private client: rmV1.OperatorClient;
  private closed = false;

  private constructor(
    private address: string,
    private readonly timeoutMs: number,
  ) {
    this.client = OperatorClient.open(address);
  }

  private static open(address: string): rmV1.OperatorClient {
    const { Operator } = loadRmV1();
    return new Operator(address, grpc.credentials.createInsecure(), CLIENT_CHANNEL_OPTIONS);
  }

  static async connect(source: LeaderSource): Promise<OperatorClient> {
    const address = await findLeader(source);
    if (!address) throw new Error(`no master is leading (nothing under ${source.coordRoot ?? '/rm'}/masters at ${source.coord ?? '127.0.0.1:2181'})`);
    const client = new OperatorClient(address, source.timeoutMs ?? 10_000);
    if (source.master) {
      // Any master answers GetLeader: start streams (which cannot be redirected) at the leader.
      const { leaderAddress } = await client.call<rmV1.GetLeaderResponse__Output>('GetLeader', {});
      if (leaderAddress && leaderAddress !== address) client.moveTo(leaderAddress);
    }
    return client;
  }

  private moveTo(address: string): void {
    if (this.closed) return;
    this.client.close();
    this.address = address;
    this.client = OperatorClient.open(address);
  }

  get leaderAddress(): string {
    return this.address;
  }

  /** Finds the leader again (after a failover) and talks to it from now on. */
  async refresh(source: LeaderSource): Promise<void> {
    const address = source.coord ? await findLeader({ ...source, master: undefined }) : await findLeader(source);
    if (address && address !== this.address) this.moveTo(address);
  }

  /** One unary call; a NOT_LEADER answer is followed to the leader it names (a few times). */
  async call<Res>(method: UnaryMethod, request: object): Promise<Res> {
    for (let redirects = 0; ; redirects++) {
      try {
        return await this.once<Res>(method, request);
      } catch (err) {
        const hint = rmErrorCode(err) === 'NOT_LEADER' ? leaderHint(err) : undefined;
        if (!hint || redirects >= REDIRECTS_MAX) throw err;
        this.moveTo(hint);
      }
    }
  }

  private once<Res>(method: UnaryMethod, request: object): Promise<Res> {
    return new Promise((resolve, reject) => {
      const fn = (this.client as unknown as Record<string, (r: object, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method];
      fn.call(this.client, request, { deadline: Date.now() + this.timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }

  /** A task's stdout/stderr, relayed by the leader from the task's agent. */
  readOutput(request: rmV1.ReadTaskOutputRequest): grpc.ClientReadableStream<rmV1.OutputChunk__Output> {
    return this.client.ReadTaskOutput(request);
  }

  close(): void {
    this.closed = true;
    this.client.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
