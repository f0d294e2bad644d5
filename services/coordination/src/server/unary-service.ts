// Unary RPCs: the same requests as the session stream, one call each, for simple clients in
// any language (grpcurl, generated stubs). A call that needs a session (ephemeral creates)
// names it in the `coord-session-id` metadata; unary clients keep such a session alive with
// KeepAlive. Watches need the stream.
import * as grpc from '@grpc/grpc-js';
import type { coordV1 } from '@ensemble/proto';
import { Coordinator } from './coordinator';
import { MULTI_RESULTS_METADATA_KEY, domainStatus } from './error-status';
import type { CoordMetrics } from './metrics';

export const SESSION_METADATA_KEY = 'coord-session-id';
type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

function sessionOf(coord: Coordinator, call: grpc.ServerUnaryCall<unknown, unknown>): number | { error: Partial<grpc.StatusObject> } {
  const raw = call.metadata.get(SESSION_METADATA_KEY)[0];
  if (raw === undefined) return 0;
  const id = Number(String(raw));
  if (!Number.isSafeInteger(id) || id <= 0) return { error: domainStatus('BAD_ARGUMENTS', `bad ${SESSION_METADATA_KEY}: ${String(raw)}`) };
  if (!coord.isLive(id)) return { error: domainStatus('SESSION_EXPIRED', `session ${id} is not live`) };
  coord.touch(id);
  return id;
}

/** Runs one request through the coordinator and answers the unary call with its result field. */
function run<K extends keyof coordV1.Response>(coord: Coordinator, metrics: CoordMetrics | undefined, op: coordV1.Request__Output['op'], field: K) {
  return ((call, callback) => {
    const startedAtNs = process.hrtime.bigint();
    const session = sessionOf(coord, call);
    if (typeof session !== 'number') {
      callback(session.error);
      return;
    }
    const req = { xid: 0, op, [op as string]: call.request } as unknown as coordV1.Request__Output;
    const answer = (resp: coordV1.Response): void => {
      metrics?.observeRequest(String(op), String(resp.error ?? 'OK'), startedAtNs);
      if (resp.error && resp.error !== 'OK') {
        const extra: Record<string, string> = {};
        if (resp.multi?.results) extra[MULTI_RESULTS_METADATA_KEY] = resp.multi.results.map((r) => r.error ?? 'OK').join(',');
        callback(domainStatus(resp.error as string, resp.errorMessage ?? '', extra));
        return;
      }
      callback(null, (resp[field] ?? {}) as never);
    };
    if (Coordinator.isWrite(req)) coord.executeWrite(session, req, answer);
    else if (coord.needsBarrier(req)) coord.executeAfterBarrier(session, req, answer);
    else answer(coord.executeLocal(session, req));
  }) as Unary<unknown, unknown>;
}

export function unaryHandlers(coord: Coordinator, metrics?: CoordMetrics): grpc.UntypedServiceImplementation {
  return {
    Create: run(coord, metrics, 'create', 'create'),
    Delete: run(coord, metrics, 'delete', 'delete'),
    Exists: run(coord, metrics, 'exists', 'exists'),
    GetData: run(coord, metrics, 'getData', 'getData'),
    SetData: run(coord, metrics, 'setData', 'setData'),
    GetChildren: run(coord, metrics, 'getChildren', 'getChildren'),
    GetEphemerals: run(coord, metrics, 'getEphemerals', 'getEphemerals'),
    GetAllChildrenNumber: run(coord, metrics, 'getAllChildrenNumber', 'getAllChildrenNumber'),
    Sync: run(coord, metrics, 'sync', 'sync'),
    Multi: run(coord, metrics, 'multi', 'multi'),
    CreateSession: ((call, callback) => {
      coord.createSession(call.request.timeoutMs, (grant) => {
        if ('error' in grant) callback(domainStatus(grant.error, grant.message));
        else callback(null, grant);
      });
    }) as Unary<coordV1.CreateSessionRequest__Output, coordV1.CreateSessionResponse>,
    KeepAlive: ((call, callback) => {
      const id = call.request.sessionId;
      if (!coord.isLive(id) || !coord.touch(id)) {
        callback(domainStatus('SESSION_EXPIRED', `session ${id} is not live`));
        return;
      }
      callback(null, { timeoutMs: coord.tracker.get(id)?.timeoutMs ?? 0 });
    }) as Unary<coordV1.KeepAliveRequest__Output, coordV1.KeepAliveResponse>,
    CloseSession: ((call, callback) => {
      coord.closeSession(call.request.sessionId, () => callback(null, {}));
    }) as Unary<coordV1.CloseSessionRequest__Output, coordV1.CloseSessionResponse>,
  };
}
