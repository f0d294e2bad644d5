// Original file: proto/coord/v1/coord.proto

import type { ErrorCode as _coord_v1_ErrorCode, ErrorCode__Output as _coord_v1_ErrorCode__Output } from '../../coord/v1/ErrorCode';
import type { CreateResponse as _coord_v1_CreateResponse, CreateResponse__Output as _coord_v1_CreateResponse__Output } from '../../coord/v1/CreateResponse';
import type { DeleteResponse as _coord_v1_DeleteResponse, DeleteResponse__Output as _coord_v1_DeleteResponse__Output } from '../../coord/v1/DeleteResponse';
import type { ExistsResponse as _coord_v1_ExistsResponse, ExistsResponse__Output as _coord_v1_ExistsResponse__Output } from '../../coord/v1/ExistsResponse';
import type { GetDataResponse as _coord_v1_GetDataResponse, GetDataResponse__Output as _coord_v1_GetDataResponse__Output } from '../../coord/v1/GetDataResponse';
import type { SetDataResponse as _coord_v1_SetDataResponse, SetDataResponse__Output as _coord_v1_SetDataResponse__Output } from '../../coord/v1/SetDataResponse';
import type { GetChildrenResponse as _coord_v1_GetChildrenResponse, GetChildrenResponse__Output as _coord_v1_GetChildrenResponse__Output } from '../../coord/v1/GetChildrenResponse';
import type { GetEphemeralsResponse as _coord_v1_GetEphemeralsResponse, GetEphemeralsResponse__Output as _coord_v1_GetEphemeralsResponse__Output } from '../../coord/v1/GetEphemeralsResponse';
import type { GetAllChildrenNumberResponse as _coord_v1_GetAllChildrenNumberResponse, GetAllChildrenNumberResponse__Output as _coord_v1_GetAllChildrenNumberResponse__Output } from '../../coord/v1/GetAllChildrenNumberResponse';
import type { SyncResponse as _coord_v1_SyncResponse, SyncResponse__Output as _coord_v1_SyncResponse__Output } from '../../coord/v1/SyncResponse';
import type { MultiResponse as _coord_v1_MultiResponse, MultiResponse__Output as _coord_v1_MultiResponse__Output } from '../../coord/v1/MultiResponse';
import type { AddWatchResponse as _coord_v1_AddWatchResponse, AddWatchResponse__Output as _coord_v1_AddWatchResponse__Output } from '../../coord/v1/AddWatchResponse';
import type { RemoveWatchesResponse as _coord_v1_RemoveWatchesResponse, RemoveWatchesResponse__Output as _coord_v1_RemoveWatchesResponse__Output } from '../../coord/v1/RemoveWatchesResponse';
import type { SetWatchesResponse as _coord_v1_SetWatchesResponse, SetWatchesResponse__Output as _coord_v1_SetWatchesResponse__Output } from '../../coord/v1/SetWatchesResponse';
import type { Long } from '@grpc/proto-loader';

export interface Response {
  'xid'?: (number | string | Long);
  'zxid'?: (number | string | Long);
  'error'?: (_coord_v1_ErrorCode);
  'errorMessage'?: (string);
  'create'?: (_coord_v1_CreateResponse | null);
  'delete'?: (_coord_v1_DeleteResponse | null);
  'exists'?: (_coord_v1_ExistsResponse | null);
  'getData'?: (_coord_v1_GetDataResponse | null);
  'setData'?: (_coord_v1_SetDataResponse | null);
  'getChildren'?: (_coord_v1_GetChildrenResponse | null);
  'getEphemerals'?: (_coord_v1_GetEphemeralsResponse | null);
  'getAllChildrenNumber'?: (_coord_v1_GetAllChildrenNumberResponse | null);
  'sync'?: (_coord_v1_SyncResponse | null);
  'multi'?: (_coord_v1_MultiResponse | null);
  'addWatch'?: (_coord_v1_AddWatchResponse | null);
  'removeWatches'?: (_coord_v1_RemoveWatchesResponse | null);
  'setWatches'?: (_coord_v1_SetWatchesResponse | null);
  'result'?: "create"|"delete"|"exists"|"getData"|"setData"|"getChildren"|"getEphemerals"|"getAllChildrenNumber"|"sync"|"multi"|"addWatch"|"removeWatches"|"setWatches";
}

export interface Response__Output {
  'xid': (number);
  'zxid': (number);
  'error': (_coord_v1_ErrorCode__Output);
  'errorMessage': (string);
  'create'?: (_coord_v1_CreateResponse__Output | null);
  'delete'?: (_coord_v1_DeleteResponse__Output | null);
  'exists'?: (_coord_v1_ExistsResponse__Output | null);
  'getData'?: (_coord_v1_GetDataResponse__Output | null);
  'setData'?: (_coord_v1_SetDataResponse__Output | null);
  'getChildren'?: (_coord_v1_GetChildrenResponse__Output | null);
  'getEphemerals'?: (_coord_v1_GetEphemeralsResponse__Output | null);
  'getAllChildrenNumber'?: (_coord_v1_GetAllChildrenNumberResponse__Output | null);
  'sync'?: (_coord_v1_SyncResponse__Output | null);
  'multi'?: (_coord_v1_MultiResponse__Output | null);
  'addWatch'?: (_coord_v1_AddWatchResponse__Output | null);
  'removeWatches'?: (_coord_v1_RemoveWatchesResponse__Output | null);
  'setWatches'?: (_coord_v1_SetWatchesResponse__Output | null);
  'result'?: "create"|"delete"|"exists"|"getData"|"setData"|"getChildren"|"getEphemerals"|"getAllChildrenNumber"|"sync"|"multi"|"addWatch"|"removeWatches"|"setWatches";
}
