import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { PeerClient as _coord_peer_v1_PeerClient, PeerDefinition as _coord_peer_v1_PeerDefinition } from './coord/peer/v1/Peer';
import type { PeerFrame as _coord_peer_v1_PeerFrame, PeerFrame__Output as _coord_peer_v1_PeerFrame__Output } from './coord/peer/v1/PeerFrame';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  coord: {
    peer: {
      v1: {
        Peer: SubtypeConstructor<typeof grpc.Client, _coord_peer_v1_PeerClient> & { service: _coord_peer_v1_PeerDefinition }
        PeerFrame: MessageTypeDefinition<_coord_peer_v1_PeerFrame, _coord_peer_v1_PeerFrame__Output>
      }
    }
  }
}

