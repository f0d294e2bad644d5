// Original file: proto/coord/v1/coord.proto

import type { ServerMessage as _coord_v1_ServerMessage, ServerMessage__Output as _coord_v1_ServerMessage__Output } from '../../coord/v1/ServerMessage';

export interface ServerBatch {
  'messages'?: (_coord_v1_ServerMessage)[];
}

export interface ServerBatch__Output {
  'messages': (_coord_v1_ServerMessage__Output)[];
}
