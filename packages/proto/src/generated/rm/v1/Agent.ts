// Original file: proto/rm/v1/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetAgentStateRequest as _rm_v1_GetAgentStateRequest, GetAgentStateRequest__Output as _rm_v1_GetAgentStateRequest__Output } from '../../rm/v1/GetAgentStateRequest';
import type { GetAgentStateResponse as _rm_v1_GetAgentStateResponse, GetAgentStateResponse__Output as _rm_v1_GetAgentStateResponse__Output } from '../../rm/v1/GetAgentStateResponse';
import type { OutputChunk as _rm_v1_OutputChunk, OutputChunk__Output as _rm_v1_OutputChunk__Output } from '../../rm/v1/OutputChunk';
import type { ReadOutputRequest as _rm_v1_ReadOutputRequest, ReadOutputRequest__Output as _rm_v1_ReadOutputRequest__Output } from '../../rm/v1/ReadOutputRequest';

export interface AgentClient extends grpc.Client {
  GetState(argument: _rm_v1_GetAgentStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetAgentStateResponse__Output>): grpc.ClientUnaryCall;
  GetState(argument: _rm_v1_GetAgentStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_GetAgentStateResponse__Output>): grpc.ClientUnaryCall;
  GetState(argument: _rm_v1_GetAgentStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetAgentStateResponse__Output>): grpc.ClientUnaryCall;
  GetState(argument: _rm_v1_GetAgentStateRequest, callback: grpc.requestCallback<_rm_v1_GetAgentStateResponse__Output>): grpc.ClientUnaryCall;
  getState(argument: _rm_v1_GetAgentStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetAgentStateResponse__Output>): grpc.ClientUnaryCall;
  getState(argument: _rm_v1_GetAgentStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_GetAgentStateResponse__Output>): grpc.ClientUnaryCall;
  getState(argument: _rm_v1_GetAgentStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetAgentStateResponse__Output>): grpc.ClientUnaryCall;
  getState(argument: _rm_v1_GetAgentStateRequest, callback: grpc.requestCallback<_rm_v1_GetAgentStateResponse__Output>): grpc.ClientUnaryCall;
  
  ReadOutput(argument: _rm_v1_ReadOutputRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_rm_v1_OutputChunk__Output>;
  ReadOutput(argument: _rm_v1_ReadOutputRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_rm_v1_OutputChunk__Output>;
  readOutput(argument: _rm_v1_ReadOutputRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_rm_v1_OutputChunk__Output>;
  readOutput(argument: _rm_v1_ReadOutputRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_rm_v1_OutputChunk__Output>;
  
}

export interface AgentHandlers extends grpc.UntypedServiceImplementation {
  GetState: grpc.handleUnaryCall<_rm_v1_GetAgentStateRequest__Output, _rm_v1_GetAgentStateResponse>;
  
  ReadOutput: grpc.handleServerStreamingCall<_rm_v1_ReadOutputRequest__Output, _rm_v1_OutputChunk>;
  
}

export interface AgentDefinition extends grpc.ServiceDefinition {
  GetState: MethodDefinition<_rm_v1_GetAgentStateRequest, _rm_v1_GetAgentStateResponse, _rm_v1_GetAgentStateRequest__Output, _rm_v1_GetAgentStateResponse__Output>
  ReadOutput: MethodDefinition<_rm_v1_ReadOutputRequest, _rm_v1_OutputChunk, _rm_v1_ReadOutputRequest__Output, _rm_v1_OutputChunk__Output>
}
