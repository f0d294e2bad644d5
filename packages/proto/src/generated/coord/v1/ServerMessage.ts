// Original file: proto/coord/v1/coord.proto

import type { ConnectResponse as _coord_v1_ConnectResponse, ConnectResponse__Output as _coord_v1_ConnectResponse__Output } from '../../coord/v1/ConnectResponse';
import type { Response as _coord_v1_Response, Response__Output as _coord_v1_Response__Output } from '../../coord/v1/Response';
import type { WatchEvent as _coord_v1_WatchEvent, WatchEvent__Output as _coord_v1_WatchEvent__Output } from '../../coord/v1/WatchEvent';
import type { Pong as _coord_v1_Pong, Pong__Output as _coord_v1_Pong__Output } from '../../coord/v1/Pong';
import type { SessionEnded as _coord_v1_SessionEnded, SessionEnded__Output as _coord_v1_SessionEnded__Output } from '../../coord/v1/SessionEnded';
import type { ServerBatch as _coord_v1_ServerBatch, ServerBatch__Output as _coord_v1_ServerBatch__Output } from '../../coord/v1/ServerBatch';

export interface ServerMessage {
  'connected'?: (_coord_v1_ConnectResponse | null);
  'response'?: (_coord_v1_Response | null);
  'event'?: (_coord_v1_WatchEvent | null);
  'pong'?: (_coord_v1_Pong | null);
  'ended'?: (_coord_v1_SessionEnded | null);
  'batch'?: (_coord_v1_ServerBatch | null);
  'kind'?: "connected"|"response"|"event"|"pong"|"ended"|"batch";
}

export interface ServerMessage__Output {
  'connected'?: (_coord_v1_ConnectResponse__Output | null);
  'response'?: (_coord_v1_Response__Output | null);
  'event'?: (_coord_v1_WatchEvent__Output | null);
  'pong'?: (_coord_v1_Pong__Output | null);
  'ended'?: (_coord_v1_SessionEnded__Output | null);
  'batch'?: (_coord_v1_ServerBatch__Output | null);
  'kind'?: "connected"|"response"|"event"|"pong"|"ended"|"batch";
}
