// Original file: proto/rm/v1/rm.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DrainAgentRequest as _rm_v1_DrainAgentRequest, DrainAgentRequest__Output as _rm_v1_DrainAgentRequest__Output } from '../../rm/v1/DrainAgentRequest';
import type { DrainAgentResponse as _rm_v1_DrainAgentResponse, DrainAgentResponse__Output as _rm_v1_DrainAgentResponse__Output } from '../../rm/v1/DrainAgentResponse';
import type { GetLeaderRequest as _rm_v1_GetLeaderRequest, GetLeaderRequest__Output as _rm_v1_GetLeaderRequest__Output } from '../../rm/v1/GetLeaderRequest';
import type { GetLeaderResponse as _rm_v1_GetLeaderResponse, GetLeaderResponse__Output as _rm_v1_GetLeaderResponse__Output } from '../../rm/v1/GetLeaderResponse';
import type { GetTaskRequest as _rm_v1_GetTaskRequest, GetTaskRequest__Output as _rm_v1_GetTaskRequest__Output } from '../../rm/v1/GetTaskRequest';
import type { GetTaskResponse as _rm_v1_GetTaskResponse, GetTaskResponse__Output as _rm_v1_GetTaskResponse__Output } from '../../rm/v1/GetTaskResponse';
import type { KillTaskRequest as _rm_v1_KillTaskRequest, KillTaskRequest__Output as _rm_v1_KillTaskRequest__Output } from '../../rm/v1/KillTaskRequest';
import type { KillTaskResponse as _rm_v1_KillTaskResponse, KillTaskResponse__Output as _rm_v1_KillTaskResponse__Output } from '../../rm/v1/KillTaskResponse';
import type { ListAgentsRequest as _rm_v1_ListAgentsRequest, ListAgentsRequest__Output as _rm_v1_ListAgentsRequest__Output } from '../../rm/v1/ListAgentsRequest';
import type { ListAgentsResponse as _rm_v1_ListAgentsResponse, ListAgentsResponse__Output as _rm_v1_ListAgentsResponse__Output } from '../../rm/v1/ListAgentsResponse';
import type { ListFrameworksRequest as _rm_v1_ListFrameworksRequest, ListFrameworksRequest__Output as _rm_v1_ListFrameworksRequest__Output } from '../../rm/v1/ListFrameworksRequest';
import type { ListFrameworksResponse as _rm_v1_ListFrameworksResponse, ListFrameworksResponse__Output as _rm_v1_ListFrameworksResponse__Output } from '../../rm/v1/ListFrameworksResponse';
import type { ListTasksRequest as _rm_v1_ListTasksRequest, ListTasksRequest__Output as _rm_v1_ListTasksRequest__Output } from '../../rm/v1/ListTasksRequest';
import type { ListTasksResponse as _rm_v1_ListTasksResponse, ListTasksResponse__Output as _rm_v1_ListTasksResponse__Output } from '../../rm/v1/ListTasksResponse';
import type { MarkAgentGoneRequest as _rm_v1_MarkAgentGoneRequest, MarkAgentGoneRequest__Output as _rm_v1_MarkAgentGoneRequest__Output } from '../../rm/v1/MarkAgentGoneRequest';
import type { MarkAgentGoneResponse as _rm_v1_MarkAgentGoneResponse, MarkAgentGoneResponse__Output as _rm_v1_MarkAgentGoneResponse__Output } from '../../rm/v1/MarkAgentGoneResponse';
import type { OutputChunk as _rm_v1_OutputChunk, OutputChunk__Output as _rm_v1_OutputChunk__Output } from '../../rm/v1/OutputChunk';
import type { ReadTaskOutputRequest as _rm_v1_ReadTaskOutputRequest, ReadTaskOutputRequest__Output as _rm_v1_ReadTaskOutputRequest__Output } from '../../rm/v1/ReadTaskOutputRequest';

export interface OperatorClient extends grpc.Client {
  DrainAgent(argument: _rm_v1_DrainAgentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_DrainAgentResponse__Output>): grpc.ClientUnaryCall;
  DrainAgent(argument: _rm_v1_DrainAgentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_DrainAgentResponse__Output>): grpc.ClientUnaryCall;
  DrainAgent(argument: _rm_v1_DrainAgentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_DrainAgentResponse__Output>): grpc.ClientUnaryCall;
  DrainAgent(argument: _rm_v1_DrainAgentRequest, callback: grpc.requestCallback<_rm_v1_DrainAgentResponse__Output>): grpc.ClientUnaryCall;
  drainAgent(argument: _rm_v1_DrainAgentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_DrainAgentResponse__Output>): grpc.ClientUnaryCall;
  drainAgent(argument: _rm_v1_DrainAgentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_DrainAgentResponse__Output>): grpc.ClientUnaryCall;
  drainAgent(argument: _rm_v1_DrainAgentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_DrainAgentResponse__Output>): grpc.ClientUnaryCall;
  drainAgent(argument: _rm_v1_DrainAgentRequest, callback: grpc.requestCallback<_rm_v1_DrainAgentResponse__Output>): grpc.ClientUnaryCall;
  
  GetLeader(argument: _rm_v1_GetLeaderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetLeaderResponse__Output>): grpc.ClientUnaryCall;
  GetLeader(argument: _rm_v1_GetLeaderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_GetLeaderResponse__Output>): grpc.ClientUnaryCall;
  GetLeader(argument: _rm_v1_GetLeaderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetLeaderResponse__Output>): grpc.ClientUnaryCall;
  GetLeader(argument: _rm_v1_GetLeaderRequest, callback: grpc.requestCallback<_rm_v1_GetLeaderResponse__Output>): grpc.ClientUnaryCall;
  getLeader(argument: _rm_v1_GetLeaderRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetLeaderResponse__Output>): grpc.ClientUnaryCall;
  getLeader(argument: _rm_v1_GetLeaderRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_GetLeaderResponse__Output>): grpc.ClientUnaryCall;
  getLeader(argument: _rm_v1_GetLeaderRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetLeaderResponse__Output>): grpc.ClientUnaryCall;
  getLeader(argument: _rm_v1_GetLeaderRequest, callback: grpc.requestCallback<_rm_v1_GetLeaderResponse__Output>): grpc.ClientUnaryCall;
  
  GetTask(argument: _rm_v1_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _rm_v1_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _rm_v1_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _rm_v1_GetTaskRequest, callback: grpc.requestCallback<_rm_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _rm_v1_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _rm_v1_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _rm_v1_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _rm_v1_GetTaskRequest, callback: grpc.requestCallback<_rm_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  
  KillTask(argument: _rm_v1_KillTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_KillTaskResponse__Output>): grpc.ClientUnaryCall;
  KillTask(argument: _rm_v1_KillTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_KillTaskResponse__Output>): grpc.ClientUnaryCall;
  KillTask(argument: _rm_v1_KillTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_KillTaskResponse__Output>): grpc.ClientUnaryCall;
  KillTask(argument: _rm_v1_KillTaskRequest, callback: grpc.requestCallback<_rm_v1_KillTaskResponse__Output>): grpc.ClientUnaryCall;
  killTask(argument: _rm_v1_KillTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_KillTaskResponse__Output>): grpc.ClientUnaryCall;
  killTask(argument: _rm_v1_KillTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_KillTaskResponse__Output>): grpc.ClientUnaryCall;
  killTask(argument: _rm_v1_KillTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_KillTaskResponse__Output>): grpc.ClientUnaryCall;
  killTask(argument: _rm_v1_KillTaskRequest, callback: grpc.requestCallback<_rm_v1_KillTaskResponse__Output>): grpc.ClientUnaryCall;
  
  ListAgents(argument: _rm_v1_ListAgentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  ListAgents(argument: _rm_v1_ListAgentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  ListAgents(argument: _rm_v1_ListAgentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  ListAgents(argument: _rm_v1_ListAgentsRequest, callback: grpc.requestCallback<_rm_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  listAgents(argument: _rm_v1_ListAgentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  listAgents(argument: _rm_v1_ListAgentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  listAgents(argument: _rm_v1_ListAgentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  listAgents(argument: _rm_v1_ListAgentsRequest, callback: grpc.requestCallback<_rm_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
  
  ListFrameworks(argument: _rm_v1_ListFrameworksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListFrameworksResponse__Output>): grpc.ClientUnaryCall;
  ListFrameworks(argument: _rm_v1_ListFrameworksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_ListFrameworksResponse__Output>): grpc.ClientUnaryCall;
  ListFrameworks(argument: _rm_v1_ListFrameworksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListFrameworksResponse__Output>): grpc.ClientUnaryCall;
  ListFrameworks(argument: _rm_v1_ListFrameworksRequest, callback: grpc.requestCallback<_rm_v1_ListFrameworksResponse__Output>): grpc.ClientUnaryCall;
  listFrameworks(argument: _rm_v1_ListFrameworksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListFrameworksResponse__Output>): grpc.ClientUnaryCall;
  listFrameworks(argument: _rm_v1_ListFrameworksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_ListFrameworksResponse__Output>): grpc.ClientUnaryCall;
  listFrameworks(argument: _rm_v1_ListFrameworksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListFrameworksResponse__Output>): grpc.ClientUnaryCall;
  listFrameworks(argument: _rm_v1_ListFrameworksRequest, callback: grpc.requestCallback<_rm_v1_ListFrameworksResponse__Output>): grpc.ClientUnaryCall;
  
  ListTasks(argument: _rm_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _rm_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _rm_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _rm_v1_ListTasksRequest, callback: grpc.requestCallback<_rm_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _rm_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _rm_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _rm_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _rm_v1_ListTasksRequest, callback: grpc.requestCallback<_rm_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  
  MarkAgentGone(argument: _rm_v1_MarkAgentGoneRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_MarkAgentGoneResponse__Output>): grpc.ClientUnaryCall;
  MarkAgentGone(argument: _rm_v1_MarkAgentGoneRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_MarkAgentGoneResponse__Output>): grpc.ClientUnaryCall;
  MarkAgentGone(argument: _rm_v1_MarkAgentGoneRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_MarkAgentGoneResponse__Output>): grpc.ClientUnaryCall;
  MarkAgentGone(argument: _rm_v1_MarkAgentGoneRequest, callback: grpc.requestCallback<_rm_v1_MarkAgentGoneResponse__Output>): grpc.ClientUnaryCall;
  markAgentGone(argument: _rm_v1_MarkAgentGoneRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_MarkAgentGoneResponse__Output>): grpc.ClientUnaryCall;
  markAgentGone(argument: _rm_v1_MarkAgentGoneRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_rm_v1_MarkAgentGoneResponse__Output>): grpc.ClientUnaryCall;
  markAgentGone(argument: _rm_v1_MarkAgentGoneRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_rm_v1_MarkAgentGoneResponse__Output>): grpc.ClientUnaryCall;
  markAgentGone(argument: _rm_v1_MarkAgentGoneRequest, callback: grpc.requestCallback<_rm_v1_MarkAgentGoneResponse__Output>): grpc.ClientUnaryCall;
  
  ReadTaskOutput(argument: _rm_v1_ReadTaskOutputRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_rm_v1_OutputChunk__Output>;
  ReadTaskOutput(argument: _rm_v1_ReadTaskOutputRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_rm_v1_OutputChunk__Output>;
  readTaskOutput(argument: _rm_v1_ReadTaskOutputRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_rm_v1_OutputChunk__Output>;
  readTaskOutput(argument: _rm_v1_ReadTaskOutputRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_rm_v1_OutputChunk__Output>;
  
}

export interface OperatorHandlers extends grpc.UntypedServiceImplementation {
  DrainAgent: grpc.handleUnaryCall<_rm_v1_DrainAgentRequest__Output, _rm_v1_DrainAgentResponse>;
  
  GetLeader: grpc.handleUnaryCall<_rm_v1_GetLeaderRequest__Output, _rm_v1_GetLeaderResponse>;
  
  GetTask: grpc.handleUnaryCall<_rm_v1_GetTaskRequest__Output, _rm_v1_GetTaskResponse>;
  
  KillTask: grpc.handleUnaryCall<_rm_v1_KillTaskRequest__Output, _rm_v1_KillTaskResponse>;
  
  ListAgents: grpc.handleUnaryCall<_rm_v1_ListAgentsRequest__Output, _rm_v1_ListAgentsResponse>;
  
  ListFrameworks: grpc.handleUnaryCall<_rm_v1_ListFrameworksRequest__Output, _rm_v1_ListFrameworksResponse>;
  
  ListTasks: grpc.handleUnaryCall<_rm_v1_ListTasksRequest__Output, _rm_v1_ListTasksResponse>;
  
  MarkAgentGone: grpc.handleUnaryCall<_rm_v1_MarkAgentGoneRequest__Output, _rm_v1_MarkAgentGoneResponse>;
  
  ReadTaskOutput: grpc.handleServerStreamingCall<_rm_v1_ReadTaskOutputRequest__Output, _rm_v1_OutputChunk>;
  
}

export interface OperatorDefinition extends grpc.ServiceDefinition {
  DrainAgent: MethodDefinition<_rm_v1_DrainAgentRequest, _rm_v1_DrainAgentResponse, _rm_v1_DrainAgentRequest__Output, _rm_v1_DrainAgentResponse__Output>
  GetLeader: MethodDefinition<_rm_v1_GetLeaderRequest, _rm_v1_GetLeaderResponse, _rm_v1_GetLeaderRequest__Output, _rm_v1_GetLeaderResponse__Output>
  GetTask: MethodDefinition<_rm_v1_GetTaskRequest, _rm_v1_GetTaskResponse, _rm_v1_GetTaskRequest__Output, _rm_v1_GetTaskResponse__Output>
  KillTask: MethodDefinition<_rm_v1_KillTaskRequest, _rm_v1_KillTaskResponse, _rm_v1_KillTaskRequest__Output, _rm_v1_KillTaskResponse__Output>
  ListAgents: MethodDefinition<_rm_v1_ListAgentsRequest, _rm_v1_ListAgentsResponse, _rm_v1_ListAgentsRequest__Output, _rm_v1_ListAgentsResponse__Output>
  ListFrameworks: MethodDefinition<_rm_v1_ListFrameworksRequest, _rm_v1_ListFrameworksResponse, _rm_v1_ListFrameworksRequest__Output, _rm_v1_ListFrameworksResponse__Output>
  ListTasks: MethodDefinition<_rm_v1_ListTasksRequest, _rm_v1_ListTasksResponse, _rm_v1_ListTasksRequest__Output, _rm_v1_ListTasksResponse__Output>
  MarkAgentGone: MethodDefinition<_rm_v1_MarkAgentGoneRequest, _rm_v1_MarkAgentGoneResponse, _rm_v1_MarkAgentGoneRequest__Output, _rm_v1_MarkAgentGoneResponse__Output>
  ReadTaskOutput: MethodDefinition<_rm_v1_ReadTaskOutputRequest, _rm_v1_OutputChunk, _rm_v1_ReadTaskOutputRequest__Output, _rm_v1_OutputChunk__Output>
}
