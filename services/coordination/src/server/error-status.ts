// Transport errors: the one mapping of the domain's error codes onto gRPC status codes
// (STYLE.md "Errors"). The exact domain code travels in trailing metadata, so clients test it
// and never parse messages.
import * as grpc from '@grpc/grpc-js';
import type { ErrorCode } from '../tree/types';

export const ERROR_CODE_METADATA_KEY = 'coord-error-code';
export const MULTI_RESULTS_METADATA_KEY = 'coord-multi-results';

/** The one mapping of domain error codes onto gRPC status codes (STYLE.md "Errors"). */
export function grpcStatusOf(code: ErrorCode | string): grpc.status {
  switch (code) {
    case 'NO_NODE':
    case 'NO_WATCHER':
      return grpc.status.NOT_FOUND;
    case 'NODE_EXISTS':
      return grpc.status.ALREADY_EXISTS;
    case 'BAD_VERSION':
    case 'NOT_EMPTY':
    case 'NO_CHILDREN_FOR_EPHEMERALS':
    case 'SESSION_EXPIRED':
    case 'UNKNOWN_SESSION':
    case 'SESSION_MOVED':
    case 'EPHEMERAL_ON_LOCAL_SESSION':
      return grpc.status.FAILED_PRECONDITION;
    case 'RUNTIME_INCONSISTENCY':
      return grpc.status.ABORTED;
    case 'INVALID_PATH':
    case 'BAD_ARGUMENTS':
    case 'MARSHALLING_ERROR':
    case 'INVALID_ACL':
    case 'TOO_LARGE':
      return grpc.status.INVALID_ARGUMENT;
    case 'TOO_MANY_WATCHES':
    case 'TOO_MANY_SESSIONS':
    case 'THROTTLED_OP':
    case 'QUOTA_EXCEEDED':
      return grpc.status.RESOURCE_EXHAUSTED;
    case 'NO_AUTH':
      return grpc.status.PERMISSION_DENIED;
    case 'AUTH_FAILED':
      return grpc.status.UNAUTHENTICATED;
    case 'CONNECTION_LOSS':
    case 'NOT_LEADER':
      return grpc.status.UNAVAILABLE;
    case 'OPERATION_TIMEOUT':
    case 'REQUEST_TIMEOUT':
      return grpc.status.DEADLINE_EXCEEDED;
    case 'UNIMPLEMENTED':
      return grpc.status.UNIMPLEMENTED;
    default:
      return grpc.status.INTERNAL;
  }
}

export function domainStatus(code: string, message: string, extra: Record<string, string> = {}): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, code);
  for (const [k, v] of Object.entries(extra)) metadata.set(k, v);
  return { code: grpcStatusOf(code), details: `${code}: ${message || code}`, metadata };
}

