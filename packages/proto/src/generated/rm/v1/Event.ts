// Original file: proto/rm/v1/scheduler.proto

import type { Offer as _rm_v1_Offer, Offer__Output as _rm_v1_Offer__Output } from '../../rm/v1/Offer';
import type { TaskStatus as _rm_v1_TaskStatus, TaskStatus__Output as _rm_v1_TaskStatus__Output } from '../../rm/v1/TaskStatus';
import type { Long } from '@grpc/proto-loader';

export interface _rm_v1_Event_Error {
  'code'?: (string);
  'message'?: (string);
}

export interface _rm_v1_Event_Error__Output {
  'code': (string);
  'message': (string);
}

export interface _rm_v1_Event_Failure {
  'agentId'?: (string);
  'message'?: (string);
}

export interface _rm_v1_Event_Failure__Output {
  'agentId': (string);
  'message': (string);
}

export interface _rm_v1_Event_Heartbeat {
}

export interface _rm_v1_Event_Heartbeat__Output {
}

export interface _rm_v1_Event_Offers {
  'offers'?: (_rm_v1_Offer)[];
}

export interface _rm_v1_Event_Offers__Output {
  'offers': (_rm_v1_Offer__Output)[];
}

export interface _rm_v1_Event_Rescind {
  'offerId'?: (string);
}

export interface _rm_v1_Event_Rescind__Output {
  'offerId': (string);
}

export interface _rm_v1_Event_Subscribed {
  'frameworkId'?: (string);
  'heartbeatIntervalMs'?: (number | string | Long);
  'masterAddress'?: (string);
}

export interface _rm_v1_Event_Subscribed__Output {
  'frameworkId': (string);
  'heartbeatIntervalMs': (number);
  'masterAddress': (string);
}

export interface _rm_v1_Event_Update {
  'status'?: (_rm_v1_TaskStatus | null);
}

export interface _rm_v1_Event_Update__Output {
  'status': (_rm_v1_TaskStatus__Output | null);
}

export interface Event {
  'subscribed'?: (_rm_v1_Event_Subscribed | null);
  'offers'?: (_rm_v1_Event_Offers | null);
  'rescind'?: (_rm_v1_Event_Rescind | null);
  'update'?: (_rm_v1_Event_Update | null);
  'failure'?: (_rm_v1_Event_Failure | null);
  'error'?: (_rm_v1_Event_Error | null);
  'heartbeat'?: (_rm_v1_Event_Heartbeat | null);
  'event'?: "subscribed"|"offers"|"rescind"|"update"|"failure"|"error"|"heartbeat";
}

export interface Event__Output {
  'subscribed'?: (_rm_v1_Event_Subscribed__Output | null);
  'offers'?: (_rm_v1_Event_Offers__Output | null);
  'rescind'?: (_rm_v1_Event_Rescind__Output | null);
  'update'?: (_rm_v1_Event_Update__Output | null);
  'failure'?: (_rm_v1_Event_Failure__Output | null);
  'error'?: (_rm_v1_Event_Error__Output | null);
  'heartbeat'?: (_rm_v1_Event_Heartbeat__Output | null);
  'event'?: "subscribed"|"offers"|"rescind"|"update"|"failure"|"error"|"heartbeat";
}
