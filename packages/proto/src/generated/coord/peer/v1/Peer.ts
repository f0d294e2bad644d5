// Original file: proto/coord/peer/v1/peer.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { PeerFrame as _coord_peer_v1_PeerFrame, PeerFrame__Output as _coord_peer_v1_PeerFrame__Output } from '../../../coord/peer/v1/PeerFrame';

export interface PeerClient extends grpc.Client {
  Stream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_coord_peer_v1_PeerFrame, _coord_peer_v1_PeerFrame__Output>;
  Stream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_coord_peer_v1_PeerFrame, _coord_peer_v1_PeerFrame__Output>;
  stream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_coord_peer_v1_PeerFrame, _coord_peer_v1_PeerFrame__Output>;
  stream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_coord_peer_v1_PeerFrame, _coord_peer_v1_PeerFrame__Output>;
  
}

export interface PeerHandlers extends grpc.UntypedServiceImplementation {
  Stream: grpc.handleBidiStreamingCall<_coord_peer_v1_PeerFrame__Output, _coord_peer_v1_PeerFrame>;
  
}

export interface PeerDefinition extends grpc.ServiceDefinition {
  Stream: MethodDefinition<_coord_peer_v1_PeerFrame, _coord_peer_v1_PeerFrame, _coord_peer_v1_PeerFrame__Output, _coord_peer_v1_PeerFrame__Output>
}
