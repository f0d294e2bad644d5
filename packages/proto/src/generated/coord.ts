import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Acl as _coord_v1_Acl, Acl__Output as _coord_v1_Acl__Output } from './coord/v1/Acl';
import type { AddWatchRequest as _coord_v1_AddWatchRequest, AddWatchRequest__Output as _coord_v1_AddWatchRequest__Output } from './coord/v1/AddWatchRequest';
import type { AddWatchResponse as _coord_v1_AddWatchResponse, AddWatchResponse__Output as _coord_v1_AddWatchResponse__Output } from './coord/v1/AddWatchResponse';
import type { CheckRequest as _coord_v1_CheckRequest, CheckRequest__Output as _coord_v1_CheckRequest__Output } from './coord/v1/CheckRequest';
import type { CheckResponse as _coord_v1_CheckResponse, CheckResponse__Output as _coord_v1_CheckResponse__Output } from './coord/v1/CheckResponse';
import type { ClientBatch as _coord_v1_ClientBatch, ClientBatch__Output as _coord_v1_ClientBatch__Output } from './coord/v1/ClientBatch';
import type { ClientMessage as _coord_v1_ClientMessage, ClientMessage__Output as _coord_v1_ClientMessage__Output } from './coord/v1/ClientMessage';
import type { CloseSession as _coord_v1_CloseSession, CloseSession__Output as _coord_v1_CloseSession__Output } from './coord/v1/CloseSession';
import type { CloseSessionRequest as _coord_v1_CloseSessionRequest, CloseSessionRequest__Output as _coord_v1_CloseSessionRequest__Output } from './coord/v1/CloseSessionRequest';
import type { CloseSessionResponse as _coord_v1_CloseSessionResponse, CloseSessionResponse__Output as _coord_v1_CloseSessionResponse__Output } from './coord/v1/CloseSessionResponse';
import type { ConnectRequest as _coord_v1_ConnectRequest, ConnectRequest__Output as _coord_v1_ConnectRequest__Output } from './coord/v1/ConnectRequest';
import type { ConnectResponse as _coord_v1_ConnectResponse, ConnectResponse__Output as _coord_v1_ConnectResponse__Output } from './coord/v1/ConnectResponse';
import type { CoordinationClient as _coord_v1_CoordinationClient, CoordinationDefinition as _coord_v1_CoordinationDefinition } from './coord/v1/Coordination';
import type { CreateRequest as _coord_v1_CreateRequest, CreateRequest__Output as _coord_v1_CreateRequest__Output } from './coord/v1/CreateRequest';
import type { CreateResponse as _coord_v1_CreateResponse, CreateResponse__Output as _coord_v1_CreateResponse__Output } from './coord/v1/CreateResponse';
import type { CreateSessionRequest as _coord_v1_CreateSessionRequest, CreateSessionRequest__Output as _coord_v1_CreateSessionRequest__Output } from './coord/v1/CreateSessionRequest';
import type { CreateSessionResponse as _coord_v1_CreateSessionResponse, CreateSessionResponse__Output as _coord_v1_CreateSessionResponse__Output } from './coord/v1/CreateSessionResponse';
import type { DeleteRequest as _coord_v1_DeleteRequest, DeleteRequest__Output as _coord_v1_DeleteRequest__Output } from './coord/v1/DeleteRequest';
import type { DeleteResponse as _coord_v1_DeleteResponse, DeleteResponse__Output as _coord_v1_DeleteResponse__Output } from './coord/v1/DeleteResponse';
import type { ExistsRequest as _coord_v1_ExistsRequest, ExistsRequest__Output as _coord_v1_ExistsRequest__Output } from './coord/v1/ExistsRequest';
import type { ExistsResponse as _coord_v1_ExistsResponse, ExistsResponse__Output as _coord_v1_ExistsResponse__Output } from './coord/v1/ExistsResponse';
import type { GetAllChildrenNumberRequest as _coord_v1_GetAllChildrenNumberRequest, GetAllChildrenNumberRequest__Output as _coord_v1_GetAllChildrenNumberRequest__Output } from './coord/v1/GetAllChildrenNumberRequest';
import type { GetAllChildrenNumberResponse as _coord_v1_GetAllChildrenNumberResponse, GetAllChildrenNumberResponse__Output as _coord_v1_GetAllChildrenNumberResponse__Output } from './coord/v1/GetAllChildrenNumberResponse';
import type { GetChildrenRequest as _coord_v1_GetChildrenRequest, GetChildrenRequest__Output as _coord_v1_GetChildrenRequest__Output } from './coord/v1/GetChildrenRequest';
import type { GetChildrenResponse as _coord_v1_GetChildrenResponse, GetChildrenResponse__Output as _coord_v1_GetChildrenResponse__Output } from './coord/v1/GetChildrenResponse';
import type { GetDataRequest as _coord_v1_GetDataRequest, GetDataRequest__Output as _coord_v1_GetDataRequest__Output } from './coord/v1/GetDataRequest';
import type { GetDataResponse as _coord_v1_GetDataResponse, GetDataResponse__Output as _coord_v1_GetDataResponse__Output } from './coord/v1/GetDataResponse';
import type { GetEphemeralsRequest as _coord_v1_GetEphemeralsRequest, GetEphemeralsRequest__Output as _coord_v1_GetEphemeralsRequest__Output } from './coord/v1/GetEphemeralsRequest';
import type { GetEphemeralsResponse as _coord_v1_GetEphemeralsResponse, GetEphemeralsResponse__Output as _coord_v1_GetEphemeralsResponse__Output } from './coord/v1/GetEphemeralsResponse';
import type { KeepAliveRequest as _coord_v1_KeepAliveRequest, KeepAliveRequest__Output as _coord_v1_KeepAliveRequest__Output } from './coord/v1/KeepAliveRequest';
import type { KeepAliveResponse as _coord_v1_KeepAliveResponse, KeepAliveResponse__Output as _coord_v1_KeepAliveResponse__Output } from './coord/v1/KeepAliveResponse';
import type { MultiRequest as _coord_v1_MultiRequest, MultiRequest__Output as _coord_v1_MultiRequest__Output } from './coord/v1/MultiRequest';
import type { MultiResponse as _coord_v1_MultiResponse, MultiResponse__Output as _coord_v1_MultiResponse__Output } from './coord/v1/MultiResponse';
import type { Op as _coord_v1_Op, Op__Output as _coord_v1_Op__Output } from './coord/v1/Op';
import type { OpResult as _coord_v1_OpResult, OpResult__Output as _coord_v1_OpResult__Output } from './coord/v1/OpResult';
import type { Ping as _coord_v1_Ping, Ping__Output as _coord_v1_Ping__Output } from './coord/v1/Ping';
import type { Pong as _coord_v1_Pong, Pong__Output as _coord_v1_Pong__Output } from './coord/v1/Pong';
import type { RemoveWatchesRequest as _coord_v1_RemoveWatchesRequest, RemoveWatchesRequest__Output as _coord_v1_RemoveWatchesRequest__Output } from './coord/v1/RemoveWatchesRequest';
import type { RemoveWatchesResponse as _coord_v1_RemoveWatchesResponse, RemoveWatchesResponse__Output as _coord_v1_RemoveWatchesResponse__Output } from './coord/v1/RemoveWatchesResponse';
import type { Request as _coord_v1_Request, Request__Output as _coord_v1_Request__Output } from './coord/v1/Request';
import type { Response as _coord_v1_Response, Response__Output as _coord_v1_Response__Output } from './coord/v1/Response';
import type { ServerBatch as _coord_v1_ServerBatch, ServerBatch__Output as _coord_v1_ServerBatch__Output } from './coord/v1/ServerBatch';
import type { ServerMessage as _coord_v1_ServerMessage, ServerMessage__Output as _coord_v1_ServerMessage__Output } from './coord/v1/ServerMessage';
import type { SessionEnded as _coord_v1_SessionEnded, SessionEnded__Output as _coord_v1_SessionEnded__Output } from './coord/v1/SessionEnded';
import type { SetDataRequest as _coord_v1_SetDataRequest, SetDataRequest__Output as _coord_v1_SetDataRequest__Output } from './coord/v1/SetDataRequest';
import type { SetDataResponse as _coord_v1_SetDataResponse, SetDataResponse__Output as _coord_v1_SetDataResponse__Output } from './coord/v1/SetDataResponse';
import type { SetWatchesRequest as _coord_v1_SetWatchesRequest, SetWatchesRequest__Output as _coord_v1_SetWatchesRequest__Output } from './coord/v1/SetWatchesRequest';
import type { SetWatchesResponse as _coord_v1_SetWatchesResponse, SetWatchesResponse__Output as _coord_v1_SetWatchesResponse__Output } from './coord/v1/SetWatchesResponse';
import type { Stat as _coord_v1_Stat, Stat__Output as _coord_v1_Stat__Output } from './coord/v1/Stat';
import type { SyncRequest as _coord_v1_SyncRequest, SyncRequest__Output as _coord_v1_SyncRequest__Output } from './coord/v1/SyncRequest';
import type { SyncResponse as _coord_v1_SyncResponse, SyncResponse__Output as _coord_v1_SyncResponse__Output } from './coord/v1/SyncResponse';
import type { WatchEvent as _coord_v1_WatchEvent, WatchEvent__Output as _coord_v1_WatchEvent__Output } from './coord/v1/WatchEvent';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  coord: {
    v1: {
      Acl: MessageTypeDefinition<_coord_v1_Acl, _coord_v1_Acl__Output>
      AddWatchMode: EnumTypeDefinition
      AddWatchRequest: MessageTypeDefinition<_coord_v1_AddWatchRequest, _coord_v1_AddWatchRequest__Output>
      AddWatchResponse: MessageTypeDefinition<_coord_v1_AddWatchResponse, _coord_v1_AddWatchResponse__Output>
      CheckRequest: MessageTypeDefinition<_coord_v1_CheckRequest, _coord_v1_CheckRequest__Output>
      CheckResponse: MessageTypeDefinition<_coord_v1_CheckResponse, _coord_v1_CheckResponse__Output>
      ClientBatch: MessageTypeDefinition<_coord_v1_ClientBatch, _coord_v1_ClientBatch__Output>
      ClientMessage: MessageTypeDefinition<_coord_v1_ClientMessage, _coord_v1_ClientMessage__Output>
      CloseSession: MessageTypeDefinition<_coord_v1_CloseSession, _coord_v1_CloseSession__Output>
      CloseSessionRequest: MessageTypeDefinition<_coord_v1_CloseSessionRequest, _coord_v1_CloseSessionRequest__Output>
      CloseSessionResponse: MessageTypeDefinition<_coord_v1_CloseSessionResponse, _coord_v1_CloseSessionResponse__Output>
      ConnectRequest: MessageTypeDefinition<_coord_v1_ConnectRequest, _coord_v1_ConnectRequest__Output>
      ConnectResponse: MessageTypeDefinition<_coord_v1_ConnectResponse, _coord_v1_ConnectResponse__Output>
      Coordination: SubtypeConstructor<typeof grpc.Client, _coord_v1_CoordinationClient> & { service: _coord_v1_CoordinationDefinition }
      CreateMode: EnumTypeDefinition
      CreateRequest: MessageTypeDefinition<_coord_v1_CreateRequest, _coord_v1_CreateRequest__Output>
      CreateResponse: MessageTypeDefinition<_coord_v1_CreateResponse, _coord_v1_CreateResponse__Output>
      CreateSessionRequest: MessageTypeDefinition<_coord_v1_CreateSessionRequest, _coord_v1_CreateSessionRequest__Output>
      CreateSessionResponse: MessageTypeDefinition<_coord_v1_CreateSessionResponse, _coord_v1_CreateSessionResponse__Output>
      DeleteRequest: MessageTypeDefinition<_coord_v1_DeleteRequest, _coord_v1_DeleteRequest__Output>
      DeleteResponse: MessageTypeDefinition<_coord_v1_DeleteResponse, _coord_v1_DeleteResponse__Output>
      ErrorCode: EnumTypeDefinition
      EventType: EnumTypeDefinition
      ExistsRequest: MessageTypeDefinition<_coord_v1_ExistsRequest, _coord_v1_ExistsRequest__Output>
      ExistsResponse: MessageTypeDefinition<_coord_v1_ExistsResponse, _coord_v1_ExistsResponse__Output>
      GetAllChildrenNumberRequest: MessageTypeDefinition<_coord_v1_GetAllChildrenNumberRequest, _coord_v1_GetAllChildrenNumberRequest__Output>
      GetAllChildrenNumberResponse: MessageTypeDefinition<_coord_v1_GetAllChildrenNumberResponse, _coord_v1_GetAllChildrenNumberResponse__Output>
      GetChildrenRequest: MessageTypeDefinition<_coord_v1_GetChildrenRequest, _coord_v1_GetChildrenRequest__Output>
      GetChildrenResponse: MessageTypeDefinition<_coord_v1_GetChildrenResponse, _coord_v1_GetChildrenResponse__Output>
      GetDataRequest: MessageTypeDefinition<_coord_v1_GetDataRequest, _coord_v1_GetDataRequest__Output>
      GetDataResponse: MessageTypeDefinition<_coord_v1_GetDataResponse, _coord_v1_GetDataResponse__Output>
      GetEphemeralsRequest: MessageTypeDefinition<_coord_v1_GetEphemeralsRequest, _coord_v1_GetEphemeralsRequest__Output>
      GetEphemeralsResponse: MessageTypeDefinition<_coord_v1_GetEphemeralsResponse, _coord_v1_GetEphemeralsResponse__Output>
      KeepAliveRequest: MessageTypeDefinition<_coord_v1_KeepAliveRequest, _coord_v1_KeepAliveRequest__Output>
      KeepAliveResponse: MessageTypeDefinition<_coord_v1_KeepAliveResponse, _coord_v1_KeepAliveResponse__Output>
      MultiRequest: MessageTypeDefinition<_coord_v1_MultiRequest, _coord_v1_MultiRequest__Output>
      MultiResponse: MessageTypeDefinition<_coord_v1_MultiResponse, _coord_v1_MultiResponse__Output>
      Op: MessageTypeDefinition<_coord_v1_Op, _coord_v1_Op__Output>
      OpResult: MessageTypeDefinition<_coord_v1_OpResult, _coord_v1_OpResult__Output>
      Ping: MessageTypeDefinition<_coord_v1_Ping, _coord_v1_Ping__Output>
      Pong: MessageTypeDefinition<_coord_v1_Pong, _coord_v1_Pong__Output>
      RemoveWatchesRequest: MessageTypeDefinition<_coord_v1_RemoveWatchesRequest, _coord_v1_RemoveWatchesRequest__Output>
      RemoveWatchesResponse: MessageTypeDefinition<_coord_v1_RemoveWatchesResponse, _coord_v1_RemoveWatchesResponse__Output>
      Request: MessageTypeDefinition<_coord_v1_Request, _coord_v1_Request__Output>
      Response: MessageTypeDefinition<_coord_v1_Response, _coord_v1_Response__Output>
      ServerBatch: MessageTypeDefinition<_coord_v1_ServerBatch, _coord_v1_ServerBatch__Output>
      ServerMessage: MessageTypeDefinition<_coord_v1_ServerMessage, _coord_v1_ServerMessage__Output>
      SessionEnded: MessageTypeDefinition<_coord_v1_SessionEnded, _coord_v1_SessionEnded__Output>
      SetDataRequest: MessageTypeDefinition<_coord_v1_SetDataRequest, _coord_v1_SetDataRequest__Output>
      SetDataResponse: MessageTypeDefinition<_coord_v1_SetDataResponse, _coord_v1_SetDataResponse__Output>
      SetWatchesRequest: MessageTypeDefinition<_coord_v1_SetWatchesRequest, _coord_v1_SetWatchesRequest__Output>
      SetWatchesResponse: MessageTypeDefinition<_coord_v1_SetWatchesResponse, _coord_v1_SetWatchesResponse__Output>
      Stat: MessageTypeDefinition<_coord_v1_Stat, _coord_v1_Stat__Output>
      SyncRequest: MessageTypeDefinition<_coord_v1_SyncRequest, _coord_v1_SyncRequest__Output>
      SyncResponse: MessageTypeDefinition<_coord_v1_SyncResponse, _coord_v1_SyncResponse__Output>
      WatchEvent: MessageTypeDefinition<_coord_v1_WatchEvent, _coord_v1_WatchEvent__Output>
      WatcherType: EnumTypeDefinition
    }
  }
}

