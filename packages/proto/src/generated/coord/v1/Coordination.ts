// Original file: proto/coord/v1/coord.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ClientMessage as _coord_v1_ClientMessage, ClientMessage__Output as _coord_v1_ClientMessage__Output } from '../../coord/v1/ClientMessage';
import type { CloseSessionRequest as _coord_v1_CloseSessionRequest, CloseSessionRequest__Output as _coord_v1_CloseSessionRequest__Output } from '../../coord/v1/CloseSessionRequest';
import type { CloseSessionResponse as _coord_v1_CloseSessionResponse, CloseSessionResponse__Output as _coord_v1_CloseSessionResponse__Output } from '../../coord/v1/CloseSessionResponse';
import type { CreateRequest as _coord_v1_CreateRequest, CreateRequest__Output as _coord_v1_CreateRequest__Output } from '../../coord/v1/CreateRequest';
import type { CreateResponse as _coord_v1_CreateResponse, CreateResponse__Output as _coord_v1_CreateResponse__Output } from '../../coord/v1/CreateResponse';
import type { CreateSessionRequest as _coord_v1_CreateSessionRequest, CreateSessionRequest__Output as _coord_v1_CreateSessionRequest__Output } from '../../coord/v1/CreateSessionRequest';
import type { CreateSessionResponse as _coord_v1_CreateSessionResponse, CreateSessionResponse__Output as _coord_v1_CreateSessionResponse__Output } from '../../coord/v1/CreateSessionResponse';
import type { DeleteRequest as _coord_v1_DeleteRequest, DeleteRequest__Output as _coord_v1_DeleteRequest__Output } from '../../coord/v1/DeleteRequest';
import type { DeleteResponse as _coord_v1_DeleteResponse, DeleteResponse__Output as _coord_v1_DeleteResponse__Output } from '../../coord/v1/DeleteResponse';
import type { ExistsRequest as _coord_v1_ExistsRequest, ExistsRequest__Output as _coord_v1_ExistsRequest__Output } from '../../coord/v1/ExistsRequest';
import type { ExistsResponse as _coord_v1_ExistsResponse, ExistsResponse__Output as _coord_v1_ExistsResponse__Output } from '../../coord/v1/ExistsResponse';
import type { GetAllChildrenNumberRequest as _coord_v1_GetAllChildrenNumberRequest, GetAllChildrenNumberRequest__Output as _coord_v1_GetAllChildrenNumberRequest__Output } from '../../coord/v1/GetAllChildrenNumberRequest';
import type { GetAllChildrenNumberResponse as _coord_v1_GetAllChildrenNumberResponse, GetAllChildrenNumberResponse__Output as _coord_v1_GetAllChildrenNumberResponse__Output } from '../../coord/v1/GetAllChildrenNumberResponse';
import type { GetChildrenRequest as _coord_v1_GetChildrenRequest, GetChildrenRequest__Output as _coord_v1_GetChildrenRequest__Output } from '../../coord/v1/GetChildrenRequest';
import type { GetChildrenResponse as _coord_v1_GetChildrenResponse, GetChildrenResponse__Output as _coord_v1_GetChildrenResponse__Output } from '../../coord/v1/GetChildrenResponse';
import type { GetDataRequest as _coord_v1_GetDataRequest, GetDataRequest__Output as _coord_v1_GetDataRequest__Output } from '../../coord/v1/GetDataRequest';
import type { GetDataResponse as _coord_v1_GetDataResponse, GetDataResponse__Output as _coord_v1_GetDataResponse__Output } from '../../coord/v1/GetDataResponse';
import type { GetEphemeralsRequest as _coord_v1_GetEphemeralsRequest, GetEphemeralsRequest__Output as _coord_v1_GetEphemeralsRequest__Output } from '../../coord/v1/GetEphemeralsRequest';
import type { GetEphemeralsResponse as _coord_v1_GetEphemeralsResponse, GetEphemeralsResponse__Output as _coord_v1_GetEphemeralsResponse__Output } from '../../coord/v1/GetEphemeralsResponse';
import type { KeepAliveRequest as _coord_v1_KeepAliveRequest, KeepAliveRequest__Output as _coord_v1_KeepAliveRequest__Output } from '../../coord/v1/KeepAliveRequest';
import type { KeepAliveResponse as _coord_v1_KeepAliveResponse, KeepAliveResponse__Output as _coord_v1_KeepAliveResponse__Output } from '../../coord/v1/KeepAliveResponse';
import type { MultiRequest as _coord_v1_MultiRequest, MultiRequest__Output as _coord_v1_MultiRequest__Output } from '../../coord/v1/MultiRequest';
import type { MultiResponse as _coord_v1_MultiResponse, MultiResponse__Output as _coord_v1_MultiResponse__Output } from '../../coord/v1/MultiResponse';
import type { ServerMessage as _coord_v1_ServerMessage, ServerMessage__Output as _coord_v1_ServerMessage__Output } from '../../coord/v1/ServerMessage';
import type { SetDataRequest as _coord_v1_SetDataRequest, SetDataRequest__Output as _coord_v1_SetDataRequest__Output } from '../../coord/v1/SetDataRequest';
import type { SetDataResponse as _coord_v1_SetDataResponse, SetDataResponse__Output as _coord_v1_SetDataResponse__Output } from '../../coord/v1/SetDataResponse';
import type { SyncRequest as _coord_v1_SyncRequest, SyncRequest__Output as _coord_v1_SyncRequest__Output } from '../../coord/v1/SyncRequest';
import type { SyncResponse as _coord_v1_SyncResponse, SyncResponse__Output as _coord_v1_SyncResponse__Output } from '../../coord/v1/SyncResponse';

export interface CoordinationClient extends grpc.Client {
  CloseSession(argument: _coord_v1_CloseSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CloseSessionResponse__Output>): grpc.ClientUnaryCall;
  CloseSession(argument: _coord_v1_CloseSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_CloseSessionResponse__Output>): grpc.ClientUnaryCall;
  CloseSession(argument: _coord_v1_CloseSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CloseSessionResponse__Output>): grpc.ClientUnaryCall;
  CloseSession(argument: _coord_v1_CloseSessionRequest, callback: grpc.requestCallback<_coord_v1_CloseSessionResponse__Output>): grpc.ClientUnaryCall;
  closeSession(argument: _coord_v1_CloseSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CloseSessionResponse__Output>): grpc.ClientUnaryCall;
  closeSession(argument: _coord_v1_CloseSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_CloseSessionResponse__Output>): grpc.ClientUnaryCall;
  closeSession(argument: _coord_v1_CloseSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CloseSessionResponse__Output>): grpc.ClientUnaryCall;
  closeSession(argument: _coord_v1_CloseSessionRequest, callback: grpc.requestCallback<_coord_v1_CloseSessionResponse__Output>): grpc.ClientUnaryCall;
  
  Create(argument: _coord_v1_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _coord_v1_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _coord_v1_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _coord_v1_CreateRequest, callback: grpc.requestCallback<_coord_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _coord_v1_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _coord_v1_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _coord_v1_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _coord_v1_CreateRequest, callback: grpc.requestCallback<_coord_v1_CreateResponse__Output>): grpc.ClientUnaryCall;
  
  CreateSession(argument: _coord_v1_CreateSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  CreateSession(argument: _coord_v1_CreateSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  CreateSession(argument: _coord_v1_CreateSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  CreateSession(argument: _coord_v1_CreateSessionRequest, callback: grpc.requestCallback<_coord_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  createSession(argument: _coord_v1_CreateSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  createSession(argument: _coord_v1_CreateSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  createSession(argument: _coord_v1_CreateSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  createSession(argument: _coord_v1_CreateSessionRequest, callback: grpc.requestCallback<_coord_v1_CreateSessionResponse__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _coord_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _coord_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _coord_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _coord_v1_DeleteRequest, callback: grpc.requestCallback<_coord_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _coord_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _coord_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _coord_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _coord_v1_DeleteRequest, callback: grpc.requestCallback<_coord_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  
  Exists(argument: _coord_v1_ExistsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  Exists(argument: _coord_v1_ExistsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  Exists(argument: _coord_v1_ExistsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  Exists(argument: _coord_v1_ExistsRequest, callback: grpc.requestCallback<_coord_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _coord_v1_ExistsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _coord_v1_ExistsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _coord_v1_ExistsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  exists(argument: _coord_v1_ExistsRequest, callback: grpc.requestCallback<_coord_v1_ExistsResponse__Output>): grpc.ClientUnaryCall;
  
  GetAllChildrenNumber(argument: _coord_v1_GetAllChildrenNumberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetAllChildrenNumberResponse__Output>): grpc.ClientUnaryCall;
  GetAllChildrenNumber(argument: _coord_v1_GetAllChildrenNumberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_GetAllChildrenNumberResponse__Output>): grpc.ClientUnaryCall;
  GetAllChildrenNumber(argument: _coord_v1_GetAllChildrenNumberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetAllChildrenNumberResponse__Output>): grpc.ClientUnaryCall;
  GetAllChildrenNumber(argument: _coord_v1_GetAllChildrenNumberRequest, callback: grpc.requestCallback<_coord_v1_GetAllChildrenNumberResponse__Output>): grpc.ClientUnaryCall;
  getAllChildrenNumber(argument: _coord_v1_GetAllChildrenNumberRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetAllChildrenNumberResponse__Output>): grpc.ClientUnaryCall;
  getAllChildrenNumber(argument: _coord_v1_GetAllChildrenNumberRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_GetAllChildrenNumberResponse__Output>): grpc.ClientUnaryCall;
  getAllChildrenNumber(argument: _coord_v1_GetAllChildrenNumberRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetAllChildrenNumberResponse__Output>): grpc.ClientUnaryCall;
  getAllChildrenNumber(argument: _coord_v1_GetAllChildrenNumberRequest, callback: grpc.requestCallback<_coord_v1_GetAllChildrenNumberResponse__Output>): grpc.ClientUnaryCall;
  
  GetChildren(argument: _coord_v1_GetChildrenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetChildrenResponse__Output>): grpc.ClientUnaryCall;
  GetChildren(argument: _coord_v1_GetChildrenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_GetChildrenResponse__Output>): grpc.ClientUnaryCall;
  GetChildren(argument: _coord_v1_GetChildrenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetChildrenResponse__Output>): grpc.ClientUnaryCall;
  GetChildren(argument: _coord_v1_GetChildrenRequest, callback: grpc.requestCallback<_coord_v1_GetChildrenResponse__Output>): grpc.ClientUnaryCall;
  getChildren(argument: _coord_v1_GetChildrenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetChildrenResponse__Output>): grpc.ClientUnaryCall;
  getChildren(argument: _coord_v1_GetChildrenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_GetChildrenResponse__Output>): grpc.ClientUnaryCall;
  getChildren(argument: _coord_v1_GetChildrenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetChildrenResponse__Output>): grpc.ClientUnaryCall;
  getChildren(argument: _coord_v1_GetChildrenRequest, callback: grpc.requestCallback<_coord_v1_GetChildrenResponse__Output>): grpc.ClientUnaryCall;
  
  GetData(argument: _coord_v1_GetDataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetDataResponse__Output>): grpc.ClientUnaryCall;
  GetData(argument: _coord_v1_GetDataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_GetDataResponse__Output>): grpc.ClientUnaryCall;
  GetData(argument: _coord_v1_GetDataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetDataResponse__Output>): grpc.ClientUnaryCall;
  GetData(argument: _coord_v1_GetDataRequest, callback: grpc.requestCallback<_coord_v1_GetDataResponse__Output>): grpc.ClientUnaryCall;
  getData(argument: _coord_v1_GetDataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetDataResponse__Output>): grpc.ClientUnaryCall;
  getData(argument: _coord_v1_GetDataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_GetDataResponse__Output>): grpc.ClientUnaryCall;
  getData(argument: _coord_v1_GetDataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetDataResponse__Output>): grpc.ClientUnaryCall;
  getData(argument: _coord_v1_GetDataRequest, callback: grpc.requestCallback<_coord_v1_GetDataResponse__Output>): grpc.ClientUnaryCall;
  
  GetEphemerals(argument: _coord_v1_GetEphemeralsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetEphemeralsResponse__Output>): grpc.ClientUnaryCall;
  GetEphemerals(argument: _coord_v1_GetEphemeralsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_GetEphemeralsResponse__Output>): grpc.ClientUnaryCall;
  GetEphemerals(argument: _coord_v1_GetEphemeralsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetEphemeralsResponse__Output>): grpc.ClientUnaryCall;
  GetEphemerals(argument: _coord_v1_GetEphemeralsRequest, callback: grpc.requestCallback<_coord_v1_GetEphemeralsResponse__Output>): grpc.ClientUnaryCall;
  getEphemerals(argument: _coord_v1_GetEphemeralsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetEphemeralsResponse__Output>): grpc.ClientUnaryCall;
  getEphemerals(argument: _coord_v1_GetEphemeralsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_GetEphemeralsResponse__Output>): grpc.ClientUnaryCall;
  getEphemerals(argument: _coord_v1_GetEphemeralsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_GetEphemeralsResponse__Output>): grpc.ClientUnaryCall;
  getEphemerals(argument: _coord_v1_GetEphemeralsRequest, callback: grpc.requestCallback<_coord_v1_GetEphemeralsResponse__Output>): grpc.ClientUnaryCall;
  
  KeepAlive(argument: _coord_v1_KeepAliveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_KeepAliveResponse__Output>): grpc.ClientUnaryCall;
  KeepAlive(argument: _coord_v1_KeepAliveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_KeepAliveResponse__Output>): grpc.ClientUnaryCall;
  KeepAlive(argument: _coord_v1_KeepAliveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_KeepAliveResponse__Output>): grpc.ClientUnaryCall;
  KeepAlive(argument: _coord_v1_KeepAliveRequest, callback: grpc.requestCallback<_coord_v1_KeepAliveResponse__Output>): grpc.ClientUnaryCall;
  keepAlive(argument: _coord_v1_KeepAliveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_KeepAliveResponse__Output>): grpc.ClientUnaryCall;
  keepAlive(argument: _coord_v1_KeepAliveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_KeepAliveResponse__Output>): grpc.ClientUnaryCall;
  keepAlive(argument: _coord_v1_KeepAliveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_KeepAliveResponse__Output>): grpc.ClientUnaryCall;
  keepAlive(argument: _coord_v1_KeepAliveRequest, callback: grpc.requestCallback<_coord_v1_KeepAliveResponse__Output>): grpc.ClientUnaryCall;
  
  Multi(argument: _coord_v1_MultiRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_MultiResponse__Output>): grpc.ClientUnaryCall;
  Multi(argument: _coord_v1_MultiRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_MultiResponse__Output>): grpc.ClientUnaryCall;
  Multi(argument: _coord_v1_MultiRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_MultiResponse__Output>): grpc.ClientUnaryCall;
  Multi(argument: _coord_v1_MultiRequest, callback: grpc.requestCallback<_coord_v1_MultiResponse__Output>): grpc.ClientUnaryCall;
  multi(argument: _coord_v1_MultiRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_MultiResponse__Output>): grpc.ClientUnaryCall;
  multi(argument: _coord_v1_MultiRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_MultiResponse__Output>): grpc.ClientUnaryCall;
  multi(argument: _coord_v1_MultiRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_MultiResponse__Output>): grpc.ClientUnaryCall;
  multi(argument: _coord_v1_MultiRequest, callback: grpc.requestCallback<_coord_v1_MultiResponse__Output>): grpc.ClientUnaryCall;
  
  Session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_coord_v1_ClientMessage, _coord_v1_ServerMessage__Output>;
  Session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_coord_v1_ClientMessage, _coord_v1_ServerMessage__Output>;
  session(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_coord_v1_ClientMessage, _coord_v1_ServerMessage__Output>;
  session(options?: grpc.CallOptions): grpc.ClientDuplexStream<_coord_v1_ClientMessage, _coord_v1_ServerMessage__Output>;
  
  SetData(argument: _coord_v1_SetDataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_SetDataResponse__Output>): grpc.ClientUnaryCall;
  SetData(argument: _coord_v1_SetDataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_SetDataResponse__Output>): grpc.ClientUnaryCall;
  SetData(argument: _coord_v1_SetDataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_SetDataResponse__Output>): grpc.ClientUnaryCall;
  SetData(argument: _coord_v1_SetDataRequest, callback: grpc.requestCallback<_coord_v1_SetDataResponse__Output>): grpc.ClientUnaryCall;
  setData(argument: _coord_v1_SetDataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_SetDataResponse__Output>): grpc.ClientUnaryCall;
  setData(argument: _coord_v1_SetDataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_SetDataResponse__Output>): grpc.ClientUnaryCall;
  setData(argument: _coord_v1_SetDataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_SetDataResponse__Output>): grpc.ClientUnaryCall;
  setData(argument: _coord_v1_SetDataRequest, callback: grpc.requestCallback<_coord_v1_SetDataResponse__Output>): grpc.ClientUnaryCall;
  
  Sync(argument: _coord_v1_SyncRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_SyncResponse__Output>): grpc.ClientUnaryCall;
  Sync(argument: _coord_v1_SyncRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_SyncResponse__Output>): grpc.ClientUnaryCall;
  Sync(argument: _coord_v1_SyncRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_SyncResponse__Output>): grpc.ClientUnaryCall;
  Sync(argument: _coord_v1_SyncRequest, callback: grpc.requestCallback<_coord_v1_SyncResponse__Output>): grpc.ClientUnaryCall;
  sync(argument: _coord_v1_SyncRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_SyncResponse__Output>): grpc.ClientUnaryCall;
  sync(argument: _coord_v1_SyncRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coord_v1_SyncResponse__Output>): grpc.ClientUnaryCall;
  sync(argument: _coord_v1_SyncRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coord_v1_SyncResponse__Output>): grpc.ClientUnaryCall;
  sync(argument: _coord_v1_SyncRequest, callback: grpc.requestCallback<_coord_v1_SyncResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface CoordinationHandlers extends grpc.UntypedServiceImplementation {
  CloseSession: grpc.handleUnaryCall<_coord_v1_CloseSessionRequest__Output, _coord_v1_CloseSessionResponse>;
  
  Create: grpc.handleUnaryCall<_coord_v1_CreateRequest__Output, _coord_v1_CreateResponse>;
  
  CreateSession: grpc.handleUnaryCall<_coord_v1_CreateSessionRequest__Output, _coord_v1_CreateSessionResponse>;
  
  Delete: grpc.handleUnaryCall<_coord_v1_DeleteRequest__Output, _coord_v1_DeleteResponse>;
  
  Exists: grpc.handleUnaryCall<_coord_v1_ExistsRequest__Output, _coord_v1_ExistsResponse>;
  
  GetAllChildrenNumber: grpc.handleUnaryCall<_coord_v1_GetAllChildrenNumberRequest__Output, _coord_v1_GetAllChildrenNumberResponse>;
  
  GetChildren: grpc.handleUnaryCall<_coord_v1_GetChildrenRequest__Output, _coord_v1_GetChildrenResponse>;
  
  GetData: grpc.handleUnaryCall<_coord_v1_GetDataRequest__Output, _coord_v1_GetDataResponse>;
  
  GetEphemerals: grpc.handleUnaryCall<_coord_v1_GetEphemeralsRequest__Output, _coord_v1_GetEphemeralsResponse>;
  
  KeepAlive: grpc.handleUnaryCall<_coord_v1_KeepAliveRequest__Output, _coord_v1_KeepAliveResponse>;
  
  Multi: grpc.handleUnaryCall<_coord_v1_MultiRequest__Output, _coord_v1_MultiResponse>;
  
  Session: grpc.handleBidiStreamingCall<_coord_v1_ClientMessage__Output, _coord_v1_ServerMessage>;
  
  SetData: grpc.handleUnaryCall<_coord_v1_SetDataRequest__Output, _coord_v1_SetDataResponse>;
  
  Sync: grpc.handleUnaryCall<_coord_v1_SyncRequest__Output, _coord_v1_SyncResponse>;
  
}

export interface CoordinationDefinition extends grpc.ServiceDefinition {
  CloseSession: MethodDefinition<_coord_v1_CloseSessionRequest, _coord_v1_CloseSessionResponse, _coord_v1_CloseSessionRequest__Output, _coord_v1_CloseSessionResponse__Output>
  Create: MethodDefinition<_coord_v1_CreateRequest, _coord_v1_CreateResponse, _coord_v1_CreateRequest__Output, _coord_v1_CreateResponse__Output>
  CreateSession: MethodDefinition<_coord_v1_CreateSessionRequest, _coord_v1_CreateSessionResponse, _coord_v1_CreateSessionRequest__Output, _coord_v1_CreateSessionResponse__Output>
  Delete: MethodDefinition<_coord_v1_DeleteRequest, _coord_v1_DeleteResponse, _coord_v1_DeleteRequest__Output, _coord_v1_DeleteResponse__Output>
  Exists: MethodDefinition<_coord_v1_ExistsRequest, _coord_v1_ExistsResponse, _coord_v1_ExistsRequest__Output, _coord_v1_ExistsResponse__Output>
  GetAllChildrenNumber: MethodDefinition<_coord_v1_GetAllChildrenNumberRequest, _coord_v1_GetAllChildrenNumberResponse, _coord_v1_GetAllChildrenNumberRequest__Output, _coord_v1_GetAllChildrenNumberResponse__Output>
  GetChildren: MethodDefinition<_coord_v1_GetChildrenRequest, _coord_v1_GetChildrenResponse, _coord_v1_GetChildrenRequest__Output, _coord_v1_GetChildrenResponse__Output>
  GetData: MethodDefinition<_coord_v1_GetDataRequest, _coord_v1_GetDataResponse, _coord_v1_GetDataRequest__Output, _coord_v1_GetDataResponse__Output>
  GetEphemerals: MethodDefinition<_coord_v1_GetEphemeralsRequest, _coord_v1_GetEphemeralsResponse, _coord_v1_GetEphemeralsRequest__Output, _coord_v1_GetEphemeralsResponse__Output>
  KeepAlive: MethodDefinition<_coord_v1_KeepAliveRequest, _coord_v1_KeepAliveResponse, _coord_v1_KeepAliveRequest__Output, _coord_v1_KeepAliveResponse__Output>
  Multi: MethodDefinition<_coord_v1_MultiRequest, _coord_v1_MultiResponse, _coord_v1_MultiRequest__Output, _coord_v1_MultiResponse__Output>
  Session: MethodDefinition<_coord_v1_ClientMessage, _coord_v1_ServerMessage, _coord_v1_ClientMessage__Output, _coord_v1_ServerMessage__Output>
  SetData: MethodDefinition<_coord_v1_SetDataRequest, _coord_v1_SetDataResponse, _coord_v1_SetDataRequest__Output, _coord_v1_SetDataResponse__Output>
  Sync: MethodDefinition<_coord_v1_SyncRequest, _coord_v1_SyncResponse, _coord_v1_SyncRequest__Output, _coord_v1_SyncResponse__Output>
}
