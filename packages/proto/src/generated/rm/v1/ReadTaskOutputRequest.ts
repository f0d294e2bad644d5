// Original file: proto/rm/v1/rm.proto

import type { OutputStream as _rm_v1_OutputStream, OutputStream__Output as _rm_v1_OutputStream__Output } from '../../rm/v1/OutputStream';
import type { Long } from '@grpc/proto-loader';

export interface ReadTaskOutputRequest {
  'taskId'?: (string);
  'stream'?: (_rm_v1_OutputStream);
  'offset'?: (number | string | Long);
  'length'?: (number | string | Long);
  'follow'?: (boolean);
}

export interface ReadTaskOutputRequest__Output {
  'taskId': (string);
  'stream': (_rm_v1_OutputStream__Output);
  'offset': (number);
  'length': (number);
  'follow': (boolean);
}
