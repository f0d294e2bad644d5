// Original file: proto/coord/v1/coord.proto

import type { ConnectRequest as _coord_v1_ConnectRequest, ConnectRequest__Output as _coord_v1_ConnectRequest__Output } from '../../coord/v1/ConnectRequest';
import type { Request as _coord_v1_Request, Request__Output as _coord_v1_Request__Output } from '../../coord/v1/Request';
import type { Ping as _coord_v1_Ping, Ping__Output as _coord_v1_Ping__Output } from '../../coord/v1/Ping';
import type { CloseSession as _coord_v1_CloseSession, CloseSession__Output as _coord_v1_CloseSession__Output } from '../../coord/v1/CloseSession';
import type { ClientBatch as _coord_v1_ClientBatch, ClientBatch__Output as _coord_v1_ClientBatch__Output } from '../../coord/v1/ClientBatch';

export interface ClientMessage {
  'connect'?: (_coord_v1_ConnectRequest | null);
  'request'?: (_coord_v1_Request | null);
  'ping'?: (_coord_v1_Ping | null);
  'close'?: (_coord_v1_CloseSession | null);
  'batch'?: (_coord_v1_ClientBatch | null);
  'kind'?: "connect"|"request"|"ping"|"close"|"batch";
}

export interface ClientMessage__Output {
  'connect'?: (_coord_v1_ConnectRequest__Output | null);
  'request'?: (_coord_v1_Request__Output | null);
  'ping'?: (_coord_v1_Ping__Output | null);
  'close'?: (_coord_v1_CloseSession__Output | null);
  'batch'?: (_coord_v1_ClientBatch__Output | null);
  'kind'?: "connect"|"request"|"ping"|"close"|"batch";
}
