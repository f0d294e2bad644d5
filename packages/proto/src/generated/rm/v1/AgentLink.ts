// Original file: proto/rm/v1/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessage as _rm_v1_AgentMessage, AgentMessage__Output as _rm_v1_AgentMessage__Output } from '../../rm/v1/AgentMessage';
import type { MasterMessage as _rm_v1_MasterMessage, MasterMessage__Output as _rm_v1_MasterMessage__Output } from '../../rm/v1/MasterMessage';

export interface AgentLinkClient extends grpc.Client {
  Connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_rm_v1_AgentMessage, _rm_v1_MasterMessage__Output>;
  Connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_rm_v1_AgentMessage, _rm_v1_MasterMessage__Output>;
  connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_rm_v1_AgentMessage, _rm_v1_MasterMessage__Output>;
  connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_rm_v1_AgentMessage, _rm_v1_MasterMessage__Output>;
  
}

export interface AgentLinkHandlers extends grpc.UntypedServiceImplementation {
  Connect: grpc.handleBidiStreamingCall<_rm_v1_AgentMessage__Output, _rm_v1_MasterMessage>;
  
}

export interface AgentLinkDefinition extends grpc.ServiceDefinition {
  Connect: MethodDefinition<_rm_v1_AgentMessage, _rm_v1_MasterMessage, _rm_v1_AgentMessage__Output, _rm_v1_MasterMessage__Output>
}
