// Original file: proto/coord/v1/coord.proto

import type { CreateMode as _coord_v1_CreateMode, CreateMode__Output as _coord_v1_CreateMode__Output } from '../../coord/v1/CreateMode';
import type { Acl as _coord_v1_Acl, Acl__Output as _coord_v1_Acl__Output } from '../../coord/v1/Acl';
import type { Long } from '@grpc/proto-loader';

export interface CreateRequest {
  'path'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'mode'?: (_coord_v1_CreateMode);
  'ttlMs'?: (number | string | Long);
  'acl'?: (_coord_v1_Acl)[];
}

export interface CreateRequest__Output {
  'path': (string);
  'data': (Buffer);
  'mode': (_coord_v1_CreateMode__Output);
  'ttlMs': (number);
  'acl': (_coord_v1_Acl__Output)[];
}
