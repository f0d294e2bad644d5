// The rm.v1 gRPC services, loaded from proto/rm/v1 and typed with the generated types.
import * as grpc from '@grpc/grpc-js';
import { loadDefinition, type rmV1 } from '@ensemble/proto';

export const RM_PROTO_FILES = ['rm/v1/rm.proto', 'rm/v1/scheduler.proto', 'rm/v1/agent.proto'];

type ClientCtor<C> = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => C;

export interface RmV1Services {
  Scheduler: ClientCtor<rmV1.SchedulerClient> & { service: rmV1.SchedulerDefinition };
  AgentLink: ClientCtor<rmV1.AgentLinkClient> & { service: rmV1.AgentLinkDefinition };
  Agent: ClientCtor<rmV1.AgentClient> & { service: rmV1.AgentDefinition };
  Operator: ClientCtor<rmV1.OperatorClient> & { service: rmV1.OperatorDefinition };
}

let loaded: RmV1Services | undefined;

export function loadRmV1(): RmV1Services {
  if (!loaded) {
    const definition = Object.assign({}, ...RM_PROTO_FILES.map((f) => loadDefinition(f))) as grpc.GrpcObject;
    const pkg = grpc.loadPackageDefinition(definition as never) as unknown as { rm: { v1: RmV1Services } };
    loaded = pkg.rm.v1;
  }
  return loaded;
}

/** Channel options for the long-lived streams (agents, frameworks): notice dead peers. */
export const CLIENT_CHANNEL_OPTIONS: grpc.ClientOptions = {
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
};
