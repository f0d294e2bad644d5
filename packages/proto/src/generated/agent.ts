import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentClient as _rm_v1_AgentClient, AgentDefinition as _rm_v1_AgentDefinition } from './rm/v1/Agent';
import type { AgentInfo as _rm_v1_AgentInfo, AgentInfo__Output as _rm_v1_AgentInfo__Output } from './rm/v1/AgentInfo';
import type { AgentLinkClient as _rm_v1_AgentLinkClient, AgentLinkDefinition as _rm_v1_AgentLinkDefinition } from './rm/v1/AgentLink';
import type { AgentMessage as _rm_v1_AgentMessage, AgentMessage__Output as _rm_v1_AgentMessage__Output } from './rm/v1/AgentMessage';
import type { AgentSummary as _rm_v1_AgentSummary, AgentSummary__Output as _rm_v1_AgentSummary__Output } from './rm/v1/AgentSummary';
import type { AgentTask as _rm_v1_AgentTask, AgentTask__Output as _rm_v1_AgentTask__Output } from './rm/v1/AgentTask';
import type { Argv as _rm_v1_Argv, Argv__Output as _rm_v1_Argv__Output } from './rm/v1/Argv';
import type { CommandInfo as _rm_v1_CommandInfo, CommandInfo__Output as _rm_v1_CommandInfo__Output } from './rm/v1/CommandInfo';
import type { DrainAgentRequest as _rm_v1_DrainAgentRequest, DrainAgentRequest__Output as _rm_v1_DrainAgentRequest__Output } from './rm/v1/DrainAgentRequest';
import type { DrainAgentResponse as _rm_v1_DrainAgentResponse, DrainAgentResponse__Output as _rm_v1_DrainAgentResponse__Output } from './rm/v1/DrainAgentResponse';
import type { FrameworkInfo as _rm_v1_FrameworkInfo, FrameworkInfo__Output as _rm_v1_FrameworkInfo__Output } from './rm/v1/FrameworkInfo';
import type { FrameworkSummary as _rm_v1_FrameworkSummary, FrameworkSummary__Output as _rm_v1_FrameworkSummary__Output } from './rm/v1/FrameworkSummary';
import type { GetAgentStateRequest as _rm_v1_GetAgentStateRequest, GetAgentStateRequest__Output as _rm_v1_GetAgentStateRequest__Output } from './rm/v1/GetAgentStateRequest';
import type { GetAgentStateResponse as _rm_v1_GetAgentStateResponse, GetAgentStateResponse__Output as _rm_v1_GetAgentStateResponse__Output } from './rm/v1/GetAgentStateResponse';
import type { GetLeaderRequest as _rm_v1_GetLeaderRequest, GetLeaderRequest__Output as _rm_v1_GetLeaderRequest__Output } from './rm/v1/GetLeaderRequest';
import type { GetLeaderResponse as _rm_v1_GetLeaderResponse, GetLeaderResponse__Output as _rm_v1_GetLeaderResponse__Output } from './rm/v1/GetLeaderResponse';
import type { GetTaskRequest as _rm_v1_GetTaskRequest, GetTaskRequest__Output as _rm_v1_GetTaskRequest__Output } from './rm/v1/GetTaskRequest';
import type { GetTaskResponse as _rm_v1_GetTaskResponse, GetTaskResponse__Output as _rm_v1_GetTaskResponse__Output } from './rm/v1/GetTaskResponse';
import type { HealthCheck as _rm_v1_HealthCheck, HealthCheck__Output as _rm_v1_HealthCheck__Output } from './rm/v1/HealthCheck';
import type { Heartbeat as _rm_v1_Heartbeat, Heartbeat__Output as _rm_v1_Heartbeat__Output } from './rm/v1/Heartbeat';
import type { HeartbeatAck as _rm_v1_HeartbeatAck, HeartbeatAck__Output as _rm_v1_HeartbeatAck__Output } from './rm/v1/HeartbeatAck';
import type { KillTask as _rm_v1_KillTask, KillTask__Output as _rm_v1_KillTask__Output } from './rm/v1/KillTask';
import type { KillTaskRequest as _rm_v1_KillTaskRequest, KillTaskRequest__Output as _rm_v1_KillTaskRequest__Output } from './rm/v1/KillTaskRequest';
import type { KillTaskResponse as _rm_v1_KillTaskResponse, KillTaskResponse__Output as _rm_v1_KillTaskResponse__Output } from './rm/v1/KillTaskResponse';
import type { LaunchTasks as _rm_v1_LaunchTasks, LaunchTasks__Output as _rm_v1_LaunchTasks__Output } from './rm/v1/LaunchTasks';
import type { ListAgentsRequest as _rm_v1_ListAgentsRequest, ListAgentsRequest__Output as _rm_v1_ListAgentsRequest__Output } from './rm/v1/ListAgentsRequest';
import type { ListAgentsResponse as _rm_v1_ListAgentsResponse, ListAgentsResponse__Output as _rm_v1_ListAgentsResponse__Output } from './rm/v1/ListAgentsResponse';
import type { ListFrameworksRequest as _rm_v1_ListFrameworksRequest, ListFrameworksRequest__Output as _rm_v1_ListFrameworksRequest__Output } from './rm/v1/ListFrameworksRequest';
import type { ListFrameworksResponse as _rm_v1_ListFrameworksResponse, ListFrameworksResponse__Output as _rm_v1_ListFrameworksResponse__Output } from './rm/v1/ListFrameworksResponse';
import type { ListTasksRequest as _rm_v1_ListTasksRequest, ListTasksRequest__Output as _rm_v1_ListTasksRequest__Output } from './rm/v1/ListTasksRequest';
import type { ListTasksResponse as _rm_v1_ListTasksResponse, ListTasksResponse__Output as _rm_v1_ListTasksResponse__Output } from './rm/v1/ListTasksResponse';
import type { MarkAgentGoneRequest as _rm_v1_MarkAgentGoneRequest, MarkAgentGoneRequest__Output as _rm_v1_MarkAgentGoneRequest__Output } from './rm/v1/MarkAgentGoneRequest';
import type { MarkAgentGoneResponse as _rm_v1_MarkAgentGoneResponse, MarkAgentGoneResponse__Output as _rm_v1_MarkAgentGoneResponse__Output } from './rm/v1/MarkAgentGoneResponse';
import type { MasterMessage as _rm_v1_MasterMessage, MasterMessage__Output as _rm_v1_MasterMessage__Output } from './rm/v1/MasterMessage';
import type { MasterSummary as _rm_v1_MasterSummary, MasterSummary__Output as _rm_v1_MasterSummary__Output } from './rm/v1/MasterSummary';
import type { Offer as _rm_v1_Offer, Offer__Output as _rm_v1_Offer__Output } from './rm/v1/Offer';
import type { OperatorClient as _rm_v1_OperatorClient, OperatorDefinition as _rm_v1_OperatorDefinition } from './rm/v1/Operator';
import type { OutputChunk as _rm_v1_OutputChunk, OutputChunk__Output as _rm_v1_OutputChunk__Output } from './rm/v1/OutputChunk';
import type { PortRange as _rm_v1_PortRange, PortRange__Output as _rm_v1_PortRange__Output } from './rm/v1/PortRange';
import type { ReadOutputRequest as _rm_v1_ReadOutputRequest, ReadOutputRequest__Output as _rm_v1_ReadOutputRequest__Output } from './rm/v1/ReadOutputRequest';
import type { ReadTaskOutputRequest as _rm_v1_ReadTaskOutputRequest, ReadTaskOutputRequest__Output as _rm_v1_ReadTaskOutputRequest__Output } from './rm/v1/ReadTaskOutputRequest';
import type { Register as _rm_v1_Register, Register__Output as _rm_v1_Register__Output } from './rm/v1/Register';
import type { Registered as _rm_v1_Registered, Registered__Output as _rm_v1_Registered__Output } from './rm/v1/Registered';
import type { Resources as _rm_v1_Resources, Resources__Output as _rm_v1_Resources__Output } from './rm/v1/Resources';
import type { RunningTask as _rm_v1_RunningTask, RunningTask__Output as _rm_v1_RunningTask__Output } from './rm/v1/RunningTask';
import type { Shutdown as _rm_v1_Shutdown, Shutdown__Output as _rm_v1_Shutdown__Output } from './rm/v1/Shutdown';
import type { StatusAck as _rm_v1_StatusAck, StatusAck__Output as _rm_v1_StatusAck__Output } from './rm/v1/StatusAck';
import type { StatusUpdate as _rm_v1_StatusUpdate, StatusUpdate__Output as _rm_v1_StatusUpdate__Output } from './rm/v1/StatusUpdate';
import type { TaskInfo as _rm_v1_TaskInfo, TaskInfo__Output as _rm_v1_TaskInfo__Output } from './rm/v1/TaskInfo';
import type { TaskStatus as _rm_v1_TaskStatus, TaskStatus__Output as _rm_v1_TaskStatus__Output } from './rm/v1/TaskStatus';
import type { TaskSummary as _rm_v1_TaskSummary, TaskSummary__Output as _rm_v1_TaskSummary__Output } from './rm/v1/TaskSummary';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  rm: {
    v1: {
      Agent: SubtypeConstructor<typeof grpc.Client, _rm_v1_AgentClient> & { service: _rm_v1_AgentDefinition }
      AgentInfo: MessageTypeDefinition<_rm_v1_AgentInfo, _rm_v1_AgentInfo__Output>
      AgentLink: SubtypeConstructor<typeof grpc.Client, _rm_v1_AgentLinkClient> & { service: _rm_v1_AgentLinkDefinition }
      AgentMessage: MessageTypeDefinition<_rm_v1_AgentMessage, _rm_v1_AgentMessage__Output>
      AgentState: EnumTypeDefinition
      AgentSummary: MessageTypeDefinition<_rm_v1_AgentSummary, _rm_v1_AgentSummary__Output>
      AgentTask: MessageTypeDefinition<_rm_v1_AgentTask, _rm_v1_AgentTask__Output>
      Argv: MessageTypeDefinition<_rm_v1_Argv, _rm_v1_Argv__Output>
      CommandInfo: MessageTypeDefinition<_rm_v1_CommandInfo, _rm_v1_CommandInfo__Output>
      DrainAgentRequest: MessageTypeDefinition<_rm_v1_DrainAgentRequest, _rm_v1_DrainAgentRequest__Output>
      DrainAgentResponse: MessageTypeDefinition<_rm_v1_DrainAgentResponse, _rm_v1_DrainAgentResponse__Output>
      FrameworkInfo: MessageTypeDefinition<_rm_v1_FrameworkInfo, _rm_v1_FrameworkInfo__Output>
      FrameworkSummary: MessageTypeDefinition<_rm_v1_FrameworkSummary, _rm_v1_FrameworkSummary__Output>
      GetAgentStateRequest: MessageTypeDefinition<_rm_v1_GetAgentStateRequest, _rm_v1_GetAgentStateRequest__Output>
      GetAgentStateResponse: MessageTypeDefinition<_rm_v1_GetAgentStateResponse, _rm_v1_GetAgentStateResponse__Output>
      GetLeaderRequest: MessageTypeDefinition<_rm_v1_GetLeaderRequest, _rm_v1_GetLeaderRequest__Output>
      GetLeaderResponse: MessageTypeDefinition<_rm_v1_GetLeaderResponse, _rm_v1_GetLeaderResponse__Output>
      GetTaskRequest: MessageTypeDefinition<_rm_v1_GetTaskRequest, _rm_v1_GetTaskRequest__Output>
      GetTaskResponse: MessageTypeDefinition<_rm_v1_GetTaskResponse, _rm_v1_GetTaskResponse__Output>
      HealthCheck: MessageTypeDefinition<_rm_v1_HealthCheck, _rm_v1_HealthCheck__Output>
      HealthCheckType: EnumTypeDefinition
      Heartbeat: MessageTypeDefinition<_rm_v1_Heartbeat, _rm_v1_Heartbeat__Output>
      HeartbeatAck: MessageTypeDefinition<_rm_v1_HeartbeatAck, _rm_v1_HeartbeatAck__Output>
      KillTask: MessageTypeDefinition<_rm_v1_KillTask, _rm_v1_KillTask__Output>
      KillTaskRequest: MessageTypeDefinition<_rm_v1_KillTaskRequest, _rm_v1_KillTaskRequest__Output>
      KillTaskResponse: MessageTypeDefinition<_rm_v1_KillTaskResponse, _rm_v1_KillTaskResponse__Output>
      LaunchTasks: MessageTypeDefinition<_rm_v1_LaunchTasks, _rm_v1_LaunchTasks__Output>
      ListAgentsRequest: MessageTypeDefinition<_rm_v1_ListAgentsRequest, _rm_v1_ListAgentsRequest__Output>
      ListAgentsResponse: MessageTypeDefinition<_rm_v1_ListAgentsResponse, _rm_v1_ListAgentsResponse__Output>
      ListFrameworksRequest: MessageTypeDefinition<_rm_v1_ListFrameworksRequest, _rm_v1_ListFrameworksRequest__Output>
      ListFrameworksResponse: MessageTypeDefinition<_rm_v1_ListFrameworksResponse, _rm_v1_ListFrameworksResponse__Output>
      ListTasksRequest: MessageTypeDefinition<_rm_v1_ListTasksRequest, _rm_v1_ListTasksRequest__Output>
      ListTasksResponse: MessageTypeDefinition<_rm_v1_ListTasksResponse, _rm_v1_ListTasksResponse__Output>
      MarkAgentGoneRequest: MessageTypeDefinition<_rm_v1_MarkAgentGoneRequest, _rm_v1_MarkAgentGoneRequest__Output>
      MarkAgentGoneResponse: MessageTypeDefinition<_rm_v1_MarkAgentGoneResponse, _rm_v1_MarkAgentGoneResponse__Output>
      MasterMessage: MessageTypeDefinition<_rm_v1_MasterMessage, _rm_v1_MasterMessage__Output>
      MasterSummary: MessageTypeDefinition<_rm_v1_MasterSummary, _rm_v1_MasterSummary__Output>
      Offer: MessageTypeDefinition<_rm_v1_Offer, _rm_v1_Offer__Output>
      Operator: SubtypeConstructor<typeof grpc.Client, _rm_v1_OperatorClient> & { service: _rm_v1_OperatorDefinition }
      OutputChunk: MessageTypeDefinition<_rm_v1_OutputChunk, _rm_v1_OutputChunk__Output>
      OutputStream: EnumTypeDefinition
      PortRange: MessageTypeDefinition<_rm_v1_PortRange, _rm_v1_PortRange__Output>
      ReadOutputRequest: MessageTypeDefinition<_rm_v1_ReadOutputRequest, _rm_v1_ReadOutputRequest__Output>
      ReadTaskOutputRequest: MessageTypeDefinition<_rm_v1_ReadTaskOutputRequest, _rm_v1_ReadTaskOutputRequest__Output>
      Reason: EnumTypeDefinition
      Register: MessageTypeDefinition<_rm_v1_Register, _rm_v1_Register__Output>
      Registered: MessageTypeDefinition<_rm_v1_Registered, _rm_v1_Registered__Output>
      Resources: MessageTypeDefinition<_rm_v1_Resources, _rm_v1_Resources__Output>
      RunningTask: MessageTypeDefinition<_rm_v1_RunningTask, _rm_v1_RunningTask__Output>
      Shutdown: MessageTypeDefinition<_rm_v1_Shutdown, _rm_v1_Shutdown__Output>
      StatusAck: MessageTypeDefinition<_rm_v1_StatusAck, _rm_v1_StatusAck__Output>
      StatusSource: EnumTypeDefinition
      StatusUpdate: MessageTypeDefinition<_rm_v1_StatusUpdate, _rm_v1_StatusUpdate__Output>
      TaskInfo: MessageTypeDefinition<_rm_v1_TaskInfo, _rm_v1_TaskInfo__Output>
      TaskState: EnumTypeDefinition
      TaskStatus: MessageTypeDefinition<_rm_v1_TaskStatus, _rm_v1_TaskStatus__Output>
      TaskSummary: MessageTypeDefinition<_rm_v1_TaskSummary, _rm_v1_TaskSummary__Output>
    }
  }
}

