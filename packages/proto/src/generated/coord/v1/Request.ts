// Original file: proto/coord/v1/coord.proto

import type { CreateRequest as _coord_v1_CreateRequest, CreateRequest__Output as _coord_v1_CreateRequest__Output } from '../../coord/v1/CreateRequest';
import type { DeleteRequest as _coord_v1_DeleteRequest, DeleteRequest__Output as _coord_v1_DeleteRequest__Output } from '../../coord/v1/DeleteRequest';
import type { ExistsRequest as _coord_v1_ExistsRequest, ExistsRequest__Output as _coord_v1_ExistsRequest__Output } from '../../coord/v1/ExistsRequest';
import type { GetDataRequest as _coord_v1_GetDataRequest, GetDataRequest__Output as _coord_v1_GetDataRequest__Output } from '../../coord/v1/GetDataRequest';
import type { SetDataRequest as _coord_v1_SetDataRequest, SetDataRequest__Output as _coord_v1_SetDataRequest__Output } from '../../coord/v1/SetDataRequest';
import type { GetChildrenRequest as _coord_v1_GetChildrenRequest, GetChildrenRequest__Output as _coord_v1_GetChildrenRequest__Output } from '../../coord/v1/GetChildrenRequest';
import type { GetEphemeralsRequest as _coord_v1_GetEphemeralsRequest, GetEphemeralsRequest__Output as _coord_v1_GetEphemeralsRequest__Output } from '../../coord/v1/GetEphemeralsRequest';
import type { GetAllChildrenNumberRequest as _coord_v1_GetAllChildrenNumberRequest, GetAllChildrenNumberRequest__Output as _coord_v1_GetAllChildrenNumberRequest__Output } from '../../coord/v1/GetAllChildrenNumberRequest';
import type { SyncRequest as _coord_v1_SyncRequest, SyncRequest__Output as _coord_v1_SyncRequest__Output } from '../../coord/v1/SyncRequest';
import type { MultiRequest as _coord_v1_MultiRequest, MultiRequest__Output as _coord_v1_MultiRequest__Output } from '../../coord/v1/MultiRequest';
import type { AddWatchRequest as _coord_v1_AddWatchRequest, AddWatchRequest__Output as _coord_v1_AddWatchRequest__Output } from '../../coord/v1/AddWatchRequest';
import type { RemoveWatchesRequest as _coord_v1_RemoveWatchesRequest, RemoveWatchesRequest__Output as _coord_v1_RemoveWatchesRequest__Output } from '../../coord/v1/RemoveWatchesRequest';
import type { SetWatchesRequest as _coord_v1_SetWatchesRequest, SetWatchesRequest__Output as _coord_v1_SetWatchesRequest__Output } from '../../coord/v1/SetWatchesRequest';
import type { Long } from '@grpc/proto-loader';

export interface Request {
  'xid'?: (number | string | Long);
  'create'?: (_coord_v1_CreateRequest | null);
  'delete'?: (_coord_v1_DeleteRequest | null);
  'exists'?: (_coord_v1_ExistsRequest | null);
  'getData'?: (_coord_v1_GetDataRequest | null);
  'setData'?: (_coord_v1_SetDataRequest | null);
  'getChildren'?: (_coord_v1_GetChildrenRequest | null);
  'getEphemerals'?: (_coord_v1_GetEphemeralsRequest | null);
  'getAllChildrenNumber'?: (_coord_v1_GetAllChildrenNumberRequest | null);
  'sync'?: (_coord_v1_SyncRequest | null);
  'multi'?: (_coord_v1_MultiRequest | null);
  'addWatch'?: (_coord_v1_AddWatchRequest | null);
  'removeWatches'?: (_coord_v1_RemoveWatchesRequest | null);
  'setWatches'?: (_coord_v1_SetWatchesRequest | null);
  'op'?: "create"|"delete"|"exists"|"getData"|"setData"|"getChildren"|"getEphemerals"|"getAllChildrenNumber"|"sync"|"multi"|"addWatch"|"removeWatches"|"setWatches";
}

export interface Request__Output {
  'xid': (number);
  'create'?: (_coord_v1_CreateRequest__Output | null);
  'delete'?: (_coord_v1_DeleteRequest__Output | null);
  'exists'?: (_coord_v1_ExistsRequest__Output | null);
  'getData'?: (_coord_v1_GetDataRequest__Output | null);
  'setData'?: (_coord_v1_SetDataRequest__Output | null);
  'getChildren'?: (_coord_v1_GetChildrenRequest__Output | null);
  'getEphemerals'?: (_coord_v1_GetEphemeralsRequest__Output | null);
  'getAllChildrenNumber'?: (_coord_v1_GetAllChildrenNumberRequest__Output | null);
  'sync'?: (_coord_v1_SyncRequest__Output | null);
  'multi'?: (_coord_v1_MultiRequest__Output | null);
  'addWatch'?: (_coord_v1_AddWatchRequest__Output | null);
  'removeWatches'?: (_coord_v1_RemoveWatchesRequest__Output | null);
  'setWatches'?: (_coord_v1_SetWatchesRequest__Output | null);
  'op'?: "create"|"delete"|"exists"|"getData"|"setData"|"getChildren"|"getEphemerals"|"getAllChildrenNumber"|"sync"|"multi"|"addWatch"|"removeWatches"|"setWatches";
}
