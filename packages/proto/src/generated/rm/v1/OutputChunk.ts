// Original file: proto/rm/v1/rm.proto

import type { Long } from '@grpc/proto-loader';

export interface OutputChunk {
  'data'?: (Buffer | Uint8Array | string);
  'offset'?: (number | string | Long);
  'sizeBytes'?: (number | string | Long);
}

export interface OutputChunk__Output {
  'data': (Buffer);
  'offset': (number);
  'sizeBytes': (number);
}
