// Original file: proto/coord/v1/coord.proto

import type { ClientMessage as _coord_v1_ClientMessage, ClientMessage__Output as _coord_v1_ClientMessage__Output } from '../../coord/v1/ClientMessage';

export interface ClientBatch {
  'messages'?: (_coord_v1_ClientMessage)[];
}

export interface ClientBatch__Output {
  'messages': (_coord_v1_ClientMessage__Output)[];
}
