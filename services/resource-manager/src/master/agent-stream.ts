// One agent's Connect stream: REGISTER first, then heartbeats and status updates handled one at
// a time in arrival order; commands go out through a bounded sink. A standby master answers
// with a redirect to the leader and ends the stream.
import * as grpc from '@grpc/grpc-js';
import type { rmV1 } from '@ensemble/proto';
import { notLeader, rmError } from '../rm-errors';
import type { AgentEntry } from './agent-book';
import { agentDisconnected, registerAgent, statusUpdate } from './agent-calls';
import type { MasterRole } from './role';
import { streamSink } from './stream-sink';

export function handleAgentStream(role: MasterRole, call: grpc.ServerDuplexStream<rmV1.AgentMessage__Output, rmV1.MasterMessage>): void {
  const leader = role.leader();
  if (!leader) {
    call.emit('error', notLeader(role.leaderAddress()));
    return;
  }
  const sink = streamSink<rmV1.MasterMessage>(call, leader.limits.streamQueueMessagesMax);
  let agent: AgentEntry | undefined;
  let chain = Promise.resolve();
  const onMessage = async (msg: rmV1.AgentMessage__Output): Promise<void> => {
    if (sink.closed || leader.isStopped) return;
    if (!agent) {
      if (msg.message !== 'register' || !msg.register) return sink.close(rmError('BAD_CALL', 'the first message on a stream must be REGISTER'));
      agent = await registerAgent(leader, sink, msg.register);
      return;
    }
    agent.lastHeartbeatMs = leader.clock();
    if (msg.message === 'heartbeat') sink.send({ heartbeatAck: { sentAtMs: msg.heartbeat?.sentAtMs ?? 0 } });
    else if (msg.message === 'statusUpdate' && msg.statusUpdate?.status) await statusUpdate(leader, agent, msg.statusUpdate);
    else sink.close(rmError('BAD_CALL', `unexpected ${msg.message ?? 'empty'} message`));
  };
  call.on('data', (msg: rmV1.AgentMessage__Output) => {
    chain = chain.then(() => onMessage(msg)).catch((err: unknown) => {
      leader.logger.error('agent message failed', { agentId: agent?.agentId, err });
      sink.close(rmError('INTERNAL', `internal error: ${(err as Error).message}`));
    });
  });
  call.on('end', () => void chain.then(() => sink.close()));
  sink.onClose(() => {
    if (agent) agentDisconnected(leader, agent, sink);
  });
}
