import * as grpc from '@grpc/grpc-js';

// Transport errors (STYLE.md "Errors"): a gRPC status for generic clients, plus the exact domain
// code in trailing metadata (e.g. `coord-error: NO_NODE`) for our own clients. Clients test
// codes, never `instanceof`, because an error that crossed the wire is a plain object.

export interface DomainErrorSpec {
  status: grpc.status;
  /** The domain outcome, e.g. 'NO_NODE'. */
  code: string;
  message: string;
  /** Trailing-metadata key carrying `code`, e.g. 'coord-error'. */
  metadataKey: string;
  /** More trailers, e.g. a leader hint: { 'coord-leader': '10.0.0.2:2181' }. */
  extra?: Record<string, string>;
}

const METADATA_KEY = /^[a-z0-9][a-z0-9._-]*$/;

export function domainError(spec: DomainErrorSpec): grpc.ServiceError {
  const metadata = new grpc.Metadata();
  metadata.set(checkKey(spec.metadataKey), spec.code);
  for (const [key, value] of Object.entries(spec.extra ?? {})) metadata.set(checkKey(key), value);
  const err = new Error(spec.message) as grpc.ServiceError;
  return Object.assign(err, { code: spec.status, details: spec.message, metadata });
}

function checkKey(key: string): string {
  // '-bin' keys carry bytes, 'grpc-' keys are reserved for the transport.
  if (!METADATA_KEY.test(key) || key.endsWith('-bin') || key.startsWith('grpc-')) {
    throw new Error(`'${key}' is not a usable trailing-metadata key`);
  }
  return key;
}

export function isServiceError(err: unknown): err is grpc.ServiceError {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number' && 'details' in err;
}

/** One string value of a trailer on a failed call, if present. */
export function readErrorMetadata(err: unknown, key: string): string | undefined {
  // Duck-typed: the Metadata may come from another copy of grpc-js than ours.
  const metadata = (err as { metadata?: { get?: unknown } } | null)?.metadata;
  if (typeof metadata?.get !== 'function') return undefined;
  const value = (metadata as grpc.Metadata).get(key)[0];
  return typeof value === 'string' ? value : undefined;
}

/** The domain code a server put in trailing metadata under metadataKey, if any. */
export function readDomainCode(err: unknown, metadataKey: string): string | undefined {
  return readErrorMetadata(err, metadataKey);
}
