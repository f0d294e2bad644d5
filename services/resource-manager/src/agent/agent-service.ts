// The agent's own gRPC API: task output (Mesos /files/read, and a bounded tail -f) and the
// agent's view of itself. The master relays ReadOutput to operators.
import * as grpc from '@grpc/grpc-js';
import type { rmV1 } from '@ensemble/proto';
import { rmError } from '../rm-errors';
import type { Agent } from './agent';
import type { CgroupSupport, OutputStream } from './executor';

export function agentService(agent: Agent, info: () => rmV1.AgentInfo__Output, cgroups: CgroupSupport, readBytesMax: number): rmV1.AgentHandlers {
  return {
    ReadOutput: (call) => void readOutput(agent, call, readBytesMax),
    GetState: (_call, callback) => {
      const tasks = agent.taskStates();
      callback(null, { info: { ...info(), agentId: agent.id }, masterAddress: agent.masterAddress ?? '', registered: agent.registered, isolation: describeIsolation(cgroups), tasks });
    },
  };
}

export function describeIsolation(cgroups: CgroupSupport): string {
  return cgroups.version === 'none' ? `none: ${cgroups.reason}` : `cgroup v${cgroups.version}`;
}

async function readOutput(agent: Agent, call: grpc.ServerWritableStream<rmV1.ReadOutputRequest__Output, rmV1.OutputChunk>, readBytesMax: number): Promise<void> {
  const req = call.request;
  const stream: OutputStream = req.stream === 'STDERR' ? 'stderr' : 'stdout';
  const runner = agent.runner;
  const fail = (err: grpc.ServiceError): void => void call.emit('error', err);
  try {
    const size = await runner.readOutput(req.taskId, stream, { offset: 0, length: 0 });
    if (!size.ok) return fail(rmError(size.code === 'UNKNOWN_TASK' ? 'UNKNOWN_TASK' : 'INVALID_ARGUMENT', size.message));
    const offset = Number(req.offset) < 0 ? Math.max(0, size.sizeBytes + Number(req.offset)) : Number(req.offset);
    const length = Number(req.length) > 0 ? Number(req.length) : undefined;
    if (!req.follow) {
      const chunk = await runner.readOutput(req.taskId, stream, { offset, length: Math.min(length ?? readBytesMax, readBytesMax) });
      if (!chunk.ok) return fail(rmError('INVALID_ARGUMENT', chunk.message));
      call.write({ data: chunk.data, offset: chunk.offset, sizeBytes: chunk.sizeBytes });
      return void call.end();
    }
    const abort = new AbortController();
    call.on('cancelled', () => abort.abort());
    const followed = runner.followOutput(req.taskId, stream, { offset, signal: abort.signal, ...(length ? { maxBytes: length } : {}) });
    if (!followed.ok) return fail(rmError('UNKNOWN_TASK', followed.message));
    let position = offset;
    for await (const data of followed.chunks) {
      call.write({ data, offset: position, sizeBytes: 0 });
      position += data.length;
    }
    call.end();
  } catch (err) {
    fail(rmError('INTERNAL', `cannot read output: ${(err as Error).message}`));
  }
}
