// Transport errors of the rm.v1 services (STYLE.md "Errors"): a gRPC status for any client, the
// exact domain code in the `rm-error` trailer, and for NOT_LEADER the leader's address in
// `rm-leader` (the redirect clients follow, like Mesos's "307 Temporary Redirect" to the leader).
import * as grpc from '@grpc/grpc-js';
import { domainError, readDomainCode, readErrorMetadata } from '@ensemble/common';

export const ERROR_KEY = 'rm-error';
export const LEADER_KEY = 'rm-leader';

export type RmErrorCode =
  | 'NOT_LEADER'
  | 'NOT_READY'
  | 'UNKNOWN_TASK'
  | 'UNKNOWN_AGENT'
  | 'UNKNOWN_FRAMEWORK'
  | 'AGENT_DISCONNECTED'
  | 'ALREADY_TERMINAL'
  | 'INVALID_ARGUMENT'
  | 'NOT_SUBSCRIBED'
  | 'BAD_CALL'
  | 'LIMIT_EXCEEDED'
  | 'FENCED'
  | 'INTERNAL';

const STATUS_OF: Record<RmErrorCode, grpc.status> = {
  NOT_LEADER: grpc.status.UNAVAILABLE,
  NOT_READY: grpc.status.UNAVAILABLE,
  UNKNOWN_TASK: grpc.status.NOT_FOUND,
  UNKNOWN_AGENT: grpc.status.NOT_FOUND,
  UNKNOWN_FRAMEWORK: grpc.status.NOT_FOUND,
  AGENT_DISCONNECTED: grpc.status.UNAVAILABLE,
  ALREADY_TERMINAL: grpc.status.FAILED_PRECONDITION,
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  NOT_SUBSCRIBED: grpc.status.FAILED_PRECONDITION,
  BAD_CALL: grpc.status.INVALID_ARGUMENT,
  LIMIT_EXCEEDED: grpc.status.RESOURCE_EXHAUSTED,
  FENCED: grpc.status.UNAVAILABLE,
  INTERNAL: grpc.status.INTERNAL,
};

export function rmError(code: RmErrorCode, message: string, leaderAddress?: string): grpc.ServiceError {
  const extra = leaderAddress ? { [LEADER_KEY]: leaderAddress } : undefined;
  return domainError({ status: STATUS_OF[code], code, message, metadataKey: ERROR_KEY, ...(extra ? { extra } : {}) });
}

export function notLeader(leaderAddress: string | undefined): grpc.ServiceError {
  const where = leaderAddress ? `the leader is ${leaderAddress}` : 'no master is leading right now';
  return rmError('NOT_LEADER', `this master is not leading: ${where}`, leaderAddress);
}

export function rmErrorCode(err: unknown): string | undefined {
  return readDomainCode(err, ERROR_KEY);
}

/** The leader a standby named in its NOT_LEADER answer. */
export function leaderHint(err: unknown): string | undefined {
  return readErrorMetadata(err, LEADER_KEY) || undefined;
}

/** A domain outcome as a value (the cores' way); `toServiceError` at the gRPC edge. */
export type Result<T extends object = object> = ({ ok: true } & T) | { ok: false; code: RmErrorCode; message: string };

export function fail(code: RmErrorCode, message: string): { ok: false; code: RmErrorCode; message: string } {
  return { ok: false, code, message };
}
