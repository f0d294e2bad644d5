// Original file: proto/rm/v1/scheduler.proto

import type { FrameworkInfo as _rm_v1_FrameworkInfo, FrameworkInfo__Output as _rm_v1_FrameworkInfo__Output } from '../../rm/v1/FrameworkInfo';
import type { TaskInfo as _rm_v1_TaskInfo, TaskInfo__Output as _rm_v1_TaskInfo__Output } from '../../rm/v1/TaskInfo';
import type { Filters as _rm_v1_Filters, Filters__Output as _rm_v1_Filters__Output } from '../../rm/v1/Filters';
import type { Long } from '@grpc/proto-loader';

export interface _rm_v1_Call_Accept {
  'offerIds'?: (string)[];
  'operations'?: (_rm_v1_Call_Operation)[];
  'filters'?: (_rm_v1_Filters | null);
}

export interface _rm_v1_Call_Accept__Output {
  'offerIds': (string)[];
  'operations': (_rm_v1_Call_Operation__Output)[];
  'filters': (_rm_v1_Filters__Output | null);
}

export interface _rm_v1_Call_Acknowledge {
  'agentId'?: (string);
  'taskId'?: (string);
  'uuid'?: (string);
}

export interface _rm_v1_Call_Acknowledge__Output {
  'agentId': (string);
  'taskId': (string);
  'uuid': (string);
}

export interface _rm_v1_Call_Decline {
  'offerIds'?: (string)[];
  'filters'?: (_rm_v1_Filters | null);
}

export interface _rm_v1_Call_Decline__Output {
  'offerIds': (string)[];
  'filters': (_rm_v1_Filters__Output | null);
}

export interface _rm_v1_Call_Kill {
  'taskId'?: (string);
  'agentId'?: (string);
  'killGracePeriodMs'?: (number | string | Long);
}

export interface _rm_v1_Call_Kill__Output {
  'taskId': (string);
  'agentId': (string);
  'killGracePeriodMs': (number);
}

export interface _rm_v1_Call_Launch {
  'taskInfos'?: (_rm_v1_TaskInfo)[];
}

export interface _rm_v1_Call_Launch__Output {
  'taskInfos': (_rm_v1_TaskInfo__Output)[];
}

export interface _rm_v1_Call_Operation {
  'launch'?: (_rm_v1_Call_Launch | null);
  'operation'?: "launch";
}

export interface _rm_v1_Call_Operation__Output {
  'launch'?: (_rm_v1_Call_Launch__Output | null);
  'operation'?: "launch";
}

export interface _rm_v1_Call_Reconcile {
  'tasks'?: (_rm_v1_Call_ReconcileTask)[];
}

export interface _rm_v1_Call_Reconcile__Output {
  'tasks': (_rm_v1_Call_ReconcileTask__Output)[];
}

export interface _rm_v1_Call_ReconcileTask {
  'taskId'?: (string);
  'agentId'?: (string);
}

export interface _rm_v1_Call_ReconcileTask__Output {
  'taskId': (string);
  'agentId': (string);
}

export interface _rm_v1_Call_Revive {
}

export interface _rm_v1_Call_Revive__Output {
}

export interface _rm_v1_Call_Subscribe {
  'frameworkInfo'?: (_rm_v1_FrameworkInfo | null);
}

export interface _rm_v1_Call_Subscribe__Output {
  'frameworkInfo': (_rm_v1_FrameworkInfo__Output | null);
}

export interface _rm_v1_Call_Suppress {
}

export interface _rm_v1_Call_Suppress__Output {
}

export interface _rm_v1_Call_Teardown {
}

export interface _rm_v1_Call_Teardown__Output {
}

export interface Call {
  'frameworkId'?: (string);
  'subscribe'?: (_rm_v1_Call_Subscribe | null);
  'accept'?: (_rm_v1_Call_Accept | null);
  'decline'?: (_rm_v1_Call_Decline | null);
  'revive'?: (_rm_v1_Call_Revive | null);
  'suppress'?: (_rm_v1_Call_Suppress | null);
  'kill'?: (_rm_v1_Call_Kill | null);
  'acknowledge'?: (_rm_v1_Call_Acknowledge | null);
  'reconcile'?: (_rm_v1_Call_Reconcile | null);
  'teardown'?: (_rm_v1_Call_Teardown | null);
  'call'?: "subscribe"|"accept"|"decline"|"revive"|"suppress"|"kill"|"acknowledge"|"reconcile"|"teardown";
}

export interface Call__Output {
  'frameworkId': (string);
  'subscribe'?: (_rm_v1_Call_Subscribe__Output | null);
  'accept'?: (_rm_v1_Call_Accept__Output | null);
  'decline'?: (_rm_v1_Call_Decline__Output | null);
  'revive'?: (_rm_v1_Call_Revive__Output | null);
  'suppress'?: (_rm_v1_Call_Suppress__Output | null);
  'kill'?: (_rm_v1_Call_Kill__Output | null);
  'acknowledge'?: (_rm_v1_Call_Acknowledge__Output | null);
  'reconcile'?: (_rm_v1_Call_Reconcile__Output | null);
  'teardown'?: (_rm_v1_Call_Teardown__Output | null);
  'call'?: "subscribe"|"accept"|"decline"|"revive"|"suppress"|"kill"|"acknowledge"|"reconcile"|"teardown";
}
