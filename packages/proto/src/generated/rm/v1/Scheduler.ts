// Original file: proto/rm/v1/scheduler.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Call as _rm_v1_Call, Call__Output as _rm_v1_Call__Output } from '../../rm/v1/Call';
import type { Event as _rm_v1_Event, Event__Output as _rm_v1_Event__Output } from '../../rm/v1/Event';

export interface SchedulerClient extends grpc.Client {
  Subscribe(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_rm_v1_Call, _rm_v1_Event__Output>;
  Subscribe(options?: grpc.CallOptions): grpc.ClientDuplexStream<_rm_v1_Call, _rm_v1_Event__Output>;
  subscribe(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_rm_v1_Call, _rm_v1_Event__Output>;
  subscribe(options?: grpc.CallOptions): grpc.ClientDuplexStream<_rm_v1_Call, _rm_v1_Event__Output>;
  
}

export interface SchedulerHandlers extends grpc.UntypedServiceImplementation {
  Subscribe: grpc.handleBidiStreamingCall<_rm_v1_Call__Output, _rm_v1_Event>;
  
}

export interface SchedulerDefinition extends grpc.ServiceDefinition {
  Subscribe: MethodDefinition<_rm_v1_Call, _rm_v1_Event, _rm_v1_Call__Output, _rm_v1_Event__Output>
}
