// Original file: proto/coord/v1/coord.proto

import type { Long } from '@grpc/proto-loader';

export interface Stat {
  'czxid'?: (number | string | Long);
  'mzxid'?: (number | string | Long);
  'pzxid'?: (number | string | Long);
  'ctime'?: (number | string | Long);
  'mtime'?: (number | string | Long);
  'version'?: (number);
  'cversion'?: (number);
  'aversion'?: (number);
  'ephemeralOwner'?: (number | string | Long);
  'dataLength'?: (number);
  'numChildren'?: (number);
}

export interface Stat__Output {
  'czxid': (number);
  'mzxid': (number);
  'pzxid': (number);
  'ctime': (number);
  'mtime': (number);
  'version': (number);
  'cversion': (number);
  'aversion': (number);
  'ephemeralOwner': (number);
  'dataLength': (number);
  'numChildren': (number);
}
