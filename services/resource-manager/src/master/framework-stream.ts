// One framework's Subscribe stream: SUBSCRIBE first, then calls handled one at a time in the
// order they arrive; events go out through a bounded sink. A standby master answers the stream
// with a redirect to the leader and ends it.
import * as grpc from '@grpc/grpc-js';
import type { rmV1 } from '@ensemble/proto';
import { notLeader, rmError } from '../rm-errors';
import type { FrameworkEntry } from './framework-book';
import { frameworkDisconnected, handleCall, subscribe } from './framework-calls';
import type { MasterRole } from './role';
import { streamSink } from './stream-sink';

export function handleSubscribeStream(role: MasterRole, call: grpc.ServerDuplexStream<rmV1.Call__Output, rmV1.Event>): void {
  const leader = role.leader();
  if (!leader) {
    call.emit('error', notLeader(role.leaderAddress()));
    return;
  }
  const sink = streamSink<rmV1.Event>(call, leader.limits.streamQueueMessagesMax);
  let framework: FrameworkEntry | undefined;
  let chain = Promise.resolve();
  const refuse = (code: 'NOT_SUBSCRIBED' | 'BAD_CALL' | 'LIMIT_EXCEEDED' | 'INVALID_ARGUMENT' | 'UNKNOWN_FRAMEWORK', message: string): void => {
    sink.send({ error: { code, message } });
    sink.close(rmError(code, message));
  };
  const onCall = async (msg: rmV1.Call__Output): Promise<void> => {
    if (sink.closed || leader.isStopped) return;
    if (!framework) {
      if (msg.call !== 'subscribe') return refuse('NOT_SUBSCRIBED', 'the first call on a stream must be SUBSCRIBE');
      const subscribed = subscribe(leader, sink, msg.subscribe?.frameworkInfo ?? null);
      if (!subscribed.ok) return refuse(subscribed.code as 'BAD_CALL', subscribed.message);
      framework = subscribed.framework;
      return;
    }
    if (msg.frameworkId && msg.frameworkId !== framework.frameworkId) {
      sink.send({ error: { code: 'BAD_CALL', message: `call names framework ${msg.frameworkId}, this stream is ${framework.frameworkId}` } });
      return;
    }
    const handled = await handleCall(leader, framework, msg);
    if (!handled.ok) sink.send({ error: { code: handled.code, message: handled.message } });
  };
  call.on('data', (msg: rmV1.Call__Output) => {
    chain = chain.then(() => onCall(msg)).catch((err: unknown) => {
      leader.logger.error('framework call failed', { frameworkId: framework?.frameworkId, err });
      sink.close(rmError('INTERNAL', `internal error: ${(err as Error).message}`));
    });
  });
  call.on('end', () => void chain.then(() => sink.close()));
  sink.onClose(() => {
    if (framework) frameworkDisconnected(leader, framework, sink);
  });
}
