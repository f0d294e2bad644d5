export * from './loader';
export * as coordV1 from './generated/coord/v1';
export * as healthV1 from './generated/grpc/health/v1';
export * as rmV1 from './generated/rm/v1';
export * from './batching';
export * from './grpc-wire';
export * from './message-decoder';
export * from './message-encoder';
