import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import { messageDecoder } from './message-decoder';
import { messageEncoder } from './message-encoder';
import type { ProtoGrpcType as CoordGrpcType } from './generated/coord';
import type { ProtoGrpcType as HealthGrpcType } from './generated/health';

// Must match OPTIONS in scripts/gen-proto.js: the generated types describe exactly these shapes,
// and message-decoder.ts builds them.
export const LOADER_OPTIONS: protoLoader.Options = {
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** The folder holding the .proto sources: the repository's /proto, or a copy shipped beside dist. */
export function protoRoot(): string {
  const candidates = [path.resolve(__dirname, '../../../proto'), path.resolve(__dirname, '../proto')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'coord/v1/coord.proto')));
  if (!found) throw new Error(`proto sources not found (looked in ${candidates.join(', ')})`);
  return found;
}

const cache = new Map<string, protoLoader.PackageDefinition>();

/** Loads (once) the package definition of one .proto file, relative to protoRoot(). */
export function loadDefinition(file: string): protoLoader.PackageDefinition {
  let def = cache.get(file);
  if (!def) {
    const root = protoRoot();
    def = protoLoader.loadSync(path.join(root, file), { ...LOADER_OPTIONS, includeDirs: [root] });
    cache.set(file, def);
  }
  return def;
}

const roots = new Map<string, protobuf.Root>();

/** The protobufjs root of one .proto file (relative to protoRoot()), loaded once. */
export function protobufRoot(file: string): protobuf.Root {
  let root = roots.get(file);
  if (!root) {
    const dir = protoRoot();
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(dir, target));
    root.loadSync(file);
    root.resolveAll();
    roots.set(file, root);
  }
  return root;
}

const methods = new Map<string, protoLoader.MethodDefinition<object, object, object, object>>();

/**
 * One method of a service (its path and serializers), for code that speaks gRPC's wire itself
 * rather than through grpc-js (grpc-wire.ts). `Req`/`Res` are the generated types. Where the
 * type allows it, messages are serialized by message-encoder.ts (a message any decoder reads as
 * protobufjs's) and deserialized by message-decoder.ts (the objects proto-loader returns), both
 * without protobufjs's intermediate objects.
 */
export function loadMethod<Req, Res>(file: string, service: string, method: string): protoLoader.MethodDefinition<Req, Res, Req, Res> {
  const key = `${file}:${service}.${method}`;
  let found = methods.get(key);
  if (!found) {
    const def = loadDefinition(file)[service] as protoLoader.ServiceDefinition | undefined;
    const loaded = def?.[method];
    if (!loaded) throw new Error(`${file} has no method ${service}.${method}`);
    const rpc = protobufRoot(file).lookupService(service).methods[method];
    const requestType = rpc.resolvedRequestType as protobuf.Type;
    const responseType = rpc.resolvedResponseType as protobuf.Type;
    const fast = {
      ...loaded,
      requestSerialize: messageEncoder<object>(requestType)?.encode ?? loaded.requestSerialize,
      requestDeserialize: messageDecoder<object>(requestType)?.decode ?? loaded.requestDeserialize,
      responseSerialize: messageEncoder<object>(responseType)?.encode ?? loaded.responseSerialize,
      responseDeserialize: messageDecoder<object>(responseType)?.decode ?? loaded.responseDeserialize,
    };
    methods.set(key, fast);
    found = fast;
  }
  return found as unknown as protoLoader.MethodDefinition<Req, Res, Req, Res>;
}

// loadPackageDefinition builds a client class per service: worth doing once per process, since
// clients (one per session) ask for it on every connect.
let coordV1Grpc: CoordGrpcType | null = null;
let healthV1Grpc: HealthGrpcType | null = null;

export function loadCoordV1(): CoordGrpcType {
  coordV1Grpc ??= grpc.loadPackageDefinition(loadDefinition('coord/v1/coord.proto')) as unknown as CoordGrpcType;
  return coordV1Grpc;
}

export function loadHealthV1(): HealthGrpcType {
  healthV1Grpc ??= grpc.loadPackageDefinition(loadDefinition('grpc/health/v1/health.proto')) as unknown as HealthGrpcType;
  return healthV1Grpc;
}
