// Original file: proto/coord/v1/coord.proto

import type { Long } from '@grpc/proto-loader';

export interface Pong {
  'zxid'?: (number | string | Long);
}

export interface Pong__Output {
  'zxid': (number);
}
