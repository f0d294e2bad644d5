// Original file: proto/coord/v1/coord.proto

import type { CreateRequest as _coord_v1_CreateRequest, CreateRequest__Output as _coord_v1_CreateRequest__Output } from '../../coord/v1/CreateRequest';
import type { DeleteRequest as _coord_v1_DeleteRequest, DeleteRequest__Output as _coord_v1_DeleteRequest__Output } from '../../coord/v1/DeleteRequest';
import type { SetDataRequest as _coord_v1_SetDataRequest, SetDataRequest__Output as _coord_v1_SetDataRequest__Output } from '../../coord/v1/SetDataRequest';
import type { CheckRequest as _coord_v1_CheckRequest, CheckRequest__Output as _coord_v1_CheckRequest__Output } from '../../coord/v1/CheckRequest';

export interface Op {
  'create'?: (_coord_v1_CreateRequest | null);
  'delete'?: (_coord_v1_DeleteRequest | null);
  'setData'?: (_coord_v1_SetDataRequest | null);
  'check'?: (_coord_v1_CheckRequest | null);
  'op'?: "create"|"delete"|"setData"|"check";
}

export interface Op__Output {
  'create'?: (_coord_v1_CreateRequest__Output | null);
  'delete'?: (_coord_v1_DeleteRequest__Output | null);
  'setData'?: (_coord_v1_SetDataRequest__Output | null);
  'check'?: (_coord_v1_CheckRequest__Output | null);
  'op'?: "create"|"delete"|"setData"|"check";
}
