// The client-facing gRPC server of a coordination server (standalone or ensemble member): the
// Coordination service (session stream and unary calls), health and reflection. The session
// stream is served on @ensemble/proto's HTTP/2 server directly, the rest by grpc-js behind it
// (common's grpc-server).
import { startGrpcServer, type GrpcServerHandle, type Logger } from '@ensemble/common';
import { loadCoordV1, loadMethod, type coordV1 } from '@ensemble/proto';
import type { Limits } from '../limits';
import type { Coordinator } from './coordinator';
import type { CoordMetrics } from './metrics';
import { handleSessionStream, type SessionCall } from './session-stream';
import { unaryHandlers } from './unary-service';

export const COORDINATION_SERVICE = 'coord.v1.Coordination';

export async function startClientApi(opts: {
  host: string;
  port: number;
  coordinator: Coordinator;
  limits: Limits;
  serverId: number;
  logger: Logger;
  metrics: CoordMetrics;
  initialStatus: 'SERVING' | 'NOT_SERVING';
}): Promise<GrpcServerHandle> {
  const { coordinator, limits, logger, metrics } = opts;
  const coordPkg = loadCoordV1().coord.v1;
  const deps = { coordinator, limits, serverId: String(opts.serverId), logger, metrics };
  return startGrpcServer({
    host: opts.host,
    port: opts.port,
    services: [
      {
        definition: coordPkg.Coordination.service,
        implementation: unaryHandlers(coordinator, metrics),
        // Served by the front itself, like the session stream: no relay hop to grpc-js.
        direct: true,
      },
    ],
    // The session stream carries nearly all client traffic: served on HTTP/2 directly.
    rawStreams: [
      {
        method: loadMethod<coordV1.ClientMessage__Output, coordV1.ServerMessage>('coord/v1/coord.proto', COORDINATION_SERVICE, 'Session'),
        handle: (call: SessionCall) => handleSessionStream(deps, call),
      },
    ],
    reflectionProtoFiles: ['coord/v1/coord.proto'],
    options: { 'grpc.max_receive_message_length': limits.maxRequestBytes },
    initialStatus: opts.initialStatus,
    logger,
  });
}
