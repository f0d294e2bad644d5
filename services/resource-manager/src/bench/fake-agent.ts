// A simulated agent for benchmarks: speaks the real agent protocol to the leading master
// (REGISTER, heartbeats, status updates with uuids) but runs nothing — every launched task is
// reported RUNNING and then FINISHED at once, so the benchmark measures the master.
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { rmV1 } from '@ensemble/proto';
import { CLIENT_CHANNEL_OPTIONS, loadRmV1 } from '../proto';

export interface FakeAgentOptions {
  readonly master: string;
  readonly hostname: string;
  readonly resources: rmV1.Resources;
}

export class FakeAgent {
  private readonly client: rmV1.AgentLinkClient;
  private readonly stream: grpc.ClientDuplexStream<rmV1.AgentMessage, rmV1.MasterMessage__Output>;
  private heartbeat: NodeJS.Timeout | undefined;
  agentId = '';
  launched = 0;

  private constructor(opts: FakeAgentOptions) {
    const { AgentLink } = loadRmV1();
    this.client = new AgentLink(opts.master, grpc.credentials.createInsecure(), CLIENT_CHANNEL_OPTIONS);
    this.stream = this.client.Connect();
  }

  static register(opts: FakeAgentOptions): Promise<FakeAgent> {
    const agent = new FakeAgent(opts);
    return new Promise((resolve, reject) => {
      agent.stream.on('error', (err) => reject(err));
      agent.stream.on('data', (msg: rmV1.MasterMessage__Output) => {
        if (msg.message === 'registered' && msg.registered) {
          agent.agentId = msg.registered.agentId;
          agent.heartbeat = setInterval(() => agent.stream.write({ heartbeat: { sentAtMs: Date.now() } }), Number(msg.registered.heartbeatIntervalMs) || 1000);
          resolve(agent);
        } else if (msg.message === 'launch' && msg.launch) {
          agent.onLaunch(msg.launch);
        }
      });
      agent.stream.write({ register: { info: { hostname: opts.hostname, address: '127.0.0.1:1', resources: opts.resources }, tasks: [] } });
    });
  }

  private onLaunch(launch: rmV1.LaunchTasks__Output): void {
    for (const task of launch.tasks) {
      this.launched++;
      for (const state of ['TASK_RUNNING', 'TASK_FINISHED'] as const) {
        const status: rmV1.TaskStatus = { taskId: task.taskId, frameworkId: launch.frameworkId, agentId: this.agentId, state, timestampMs: Date.now(), uuid: randomUUID(), source: 'SOURCE_EXECUTOR', ...(state === 'TASK_FINISHED' ? { exitCode: 0 } : {}) };
        this.stream.write({ statusUpdate: { status } });
      }
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.stream.removeAllListeners('error');
    this.stream.on('error', () => undefined); // CANCELLED by the line below: expected
    this.stream.cancel();
    this.client.close();
  }
}
