// Original file: proto/coord/v1/coord.proto

import type { ErrorCode as _coord_v1_ErrorCode, ErrorCode__Output as _coord_v1_ErrorCode__Output } from '../../coord/v1/ErrorCode';
import type { CreateResponse as _coord_v1_CreateResponse, CreateResponse__Output as _coord_v1_CreateResponse__Output } from '../../coord/v1/CreateResponse';
import type { DeleteResponse as _coord_v1_DeleteResponse, DeleteResponse__Output as _coord_v1_DeleteResponse__Output } from '../../coord/v1/DeleteResponse';
import type { SetDataResponse as _coord_v1_SetDataResponse, SetDataResponse__Output as _coord_v1_SetDataResponse__Output } from '../../coord/v1/SetDataResponse';
import type { CheckResponse as _coord_v1_CheckResponse, CheckResponse__Output as _coord_v1_CheckResponse__Output } from '../../coord/v1/CheckResponse';

export interface OpResult {
  'error'?: (_coord_v1_ErrorCode);
  'create'?: (_coord_v1_CreateResponse | null);
  'delete'?: (_coord_v1_DeleteResponse | null);
  'setData'?: (_coord_v1_SetDataResponse | null);
  'check'?: (_coord_v1_CheckResponse | null);
  'result'?: "create"|"delete"|"setData"|"check";
}

export interface OpResult__Output {
  'error': (_coord_v1_ErrorCode__Output);
  'create'?: (_coord_v1_CreateResponse__Output | null);
  'delete'?: (_coord_v1_DeleteResponse__Output | null);
  'setData'?: (_coord_v1_SetDataResponse__Output | null);
  'check'?: (_coord_v1_CheckResponse__Output | null);
  'result'?: "create"|"delete"|"setData"|"check";
}
