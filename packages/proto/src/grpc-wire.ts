// gRPC's wire format over HTTP/2: the length-prefixed message framing, the response headers
// and the status in trailers. For the long-lived streams on this codebase's hot paths (the
// coordination peer stream, and the Session stream at both ends), grpc-js's channel,
// interceptor and retry layers cost a third of each message's CPU and give a single stream
// nothing; the bytes stay plain gRPC, so any gRPC implementation talks to either end.
import type * as http2 from 'node:http2';
import * as zlib from 'node:zlib';
import type { HeaderField } from './hpack';
import { headerFields } from './http2-connection';

/** The five bytes before every message: a compressed flag and a big-endian length. */
export const MESSAGE_HEADER_BYTES = 5;

export const GRPC_STATUS = {
  OK: 0,
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/** A stream that broke the framing: the receiver ends the call with `status`. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

/** The whole gRPC message (header and body) for one serialized message. */
export function frameMessage(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(MESSAGE_HEADER_BYTES + body.length);
  out[0] = 0;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, MESSAGE_HEADER_BYTES);
  return out;
}

/** How a peer compresses the messages it sends (gRPC's `grpc-encoding`); these are the ones read here. */
export type MessageEncoding = 'identity' | 'gzip' | 'deflate';
/** What to announce in `grpc-accept-encoding`. */
export const READABLE_ENCODINGS = 'identity,deflate,gzip';

/** The encoding a call's request headers announce, or null when it is one this code cannot read. */
export function messageEncodingOf(headers: http2.IncomingHttpHeaders): MessageEncoding | null {
  const encoding = headers['grpc-encoding'];
  if (encoding === undefined || encoding === 'identity') return 'identity';
  return encoding === 'gzip' || encoding === 'deflate' ? encoding : null;
}

/**
 * Cuts a stream of DATA chunks into messages. Chunks split messages anywhere, and one chunk can
 * hold many. A message longer than `maxBytes` is a WireError, detected from the header before
 * the body is buffered; so is a compressed one when the call announced no encoding, or one that
 * inflates past `maxBytes`. (The servers here never compress what they send; a client of another
 * language may have been told to.)
 */
export class MessageDeframer {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Length of the message being read, once its header is complete. */
  private bodyBytes = -1;
  private compressed = false;

  constructor(
    private readonly maxBytes: number,
    private readonly encoding: MessageEncoding = 'identity',
  ) {}

  /** Messages completed by `chunk`, in order. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.bodyBytes < 0) {
        if (this.buffered < MESSAGE_HEADER_BYTES) break;
        const header = this.take(MESSAGE_HEADER_BYTES);
        if (header[0] > 1 || (header[0] === 1 && this.encoding === 'identity')) {
          throw new WireError(`compressed message (flag ${header[0]}) without negotiated compression`, GRPC_STATUS.INTERNAL);
        }
        this.compressed = header[0] === 1;
        const length = header.readUInt32BE(1);
        if (length > this.maxBytes) throw new WireError(`message of ${length} bytes exceeds the limit of ${this.maxBytes}`, GRPC_STATUS.RESOURCE_EXHAUSTED);
        this.bodyBytes = length;
      }
      if (this.buffered < this.bodyBytes) break;
      const body = this.take(this.bodyBytes);
      out.push(this.compressed ? this.inflate(body) : body);
      this.bodyBytes = -1;
    }
    return out;
  }

  private inflate(body: Buffer): Buffer {
    try {
      const options = { maxOutputLength: this.maxBytes };
      return this.encoding === 'gzip' ? zlib.gunzipSync(body, options) : zlib.inflateSync(body, options);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new WireError(`message inflates past the limit of ${this.maxBytes} bytes`, GRPC_STATUS.RESOURCE_EXHAUSTED);
      throw new WireError(`cannot ${this.encoding}-decompress a message: ${err instanceof Error ? err.message : String(err)}`, GRPC_STATUS.INTERNAL);
    }
  }

  /** Bytes of an incomplete message still held (0 between messages). */
  get pending(): number {
    return this.buffered;
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0); // an empty message: nothing may be buffered at all
    const first = this.chunks[0];
    if (first.length === n) {
      this.chunks.shift();
      this.buffered -= n;
      return first;
    }
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0];
      const used = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(used);
    }
    this.buffered -= n;
    return out;
  }
}

/** Request headers of a call to `path` (a client stream). */
export function requestHeaders(path: string): http2.OutgoingHttpHeaders {
  return { ':method': 'POST', ':path': path, 'content-type': 'application/grpc+proto', te: 'trailers' };
}

/** The same as a header list for an HTTP/2 client that sends the pseudo-headers itself. */
export function requestFields(path: string, authority: string): HeaderField[] {
  return [[':method', 'POST'], [':scheme', 'http'], [':path', path], [':authority', authority], ['content-type', 'application/grpc+proto'], ['te', 'trailers']];
}

/** Whether incoming request headers are a gRPC call. */
export function isGrpcRequest(headers: http2.IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  return headers[':method'] === 'POST' && typeof type === 'string' && type.startsWith('application/grpc');
}

/** Status trailers; the message percent-encoded as the gRPC spec asks (bytes outside printable ASCII, and '%'). */
export function statusTrailers(status: number, message: string): http2.OutgoingHttpHeaders {
  let encoded = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    encoded += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return { 'grpc-status': String(status), 'grpc-message': encoded };
}

/** A server's response headers: responses go uncompressed, which gRPC allows whatever the client accepts. */
export const GRPC_RESPONSE_FIELDS: readonly HeaderField[] = [[':status', '200'], ['content-type', 'application/grpc+proto'], ['grpc-accept-encoding', READABLE_ENCODINGS]];

/** A call's status as trailer fields, after `metadata` (in the form of grpc-js's Metadata.toHttp2Headers()). */
export function statusFields(status: number, message: string, metadata: http2.OutgoingHttpHeaders = {}): HeaderField[] {
  return headerFields({ ...metadata, ...statusTrailers(status, message) });
}

/** A trailers-only answer: the response headers with the status in them, and no messages. */
export function trailersOnlyFields(status: number, message: string, metadata?: http2.OutgoingHttpHeaders): HeaderField[] {
  return [...GRPC_RESPONSE_FIELDS, ...statusFields(status, message, metadata)];
}

/** The status a call ended with, from its trailers (or trailers-only response headers). */
export function readStatus(headers: http2.IncomingHttpHeaders): { status: number; message: string } | null {
  const raw = headers['grpc-status'];
  if (raw === undefined) return null;
  const message = headers['grpc-message'];
  let text = typeof message === 'string' ? message : '';
  try {
    text = decodeURIComponent(text);
  } catch {
    // not percent-encoded as the spec asks: show it as it came
  }
  return { status: Number(raw), message: text };
}

/**
 * Widens a connection's receive window to `bytes` (the per-stream window is a setting given at
 * connect), so that a large message does not wait for window updates.
 */
export function widenWindow(session: http2.Http2Session, bytes: number): void {
  try {
    session.setLocalWindowSize(bytes);
  } catch {
    // the session closed meanwhile; its own events report that
  }
}

/** Bodies past this are written after their header rather than copied behind it. */
const COPY_BELOW_BYTES = 64 * 1024;

/** Where a message can be written: a node:http2 stream, or an Http2Stream. */
export interface MessageSink {
  write(chunk: Buffer, done?: (err?: Error | null) => void): unknown;
}

/** Writes one message; `done` runs once its bytes have left (or failed to). */
export function writeMessage(stream: MessageSink, body: Buffer, done?: (err?: Error | null) => void): void {
  if (body.length < COPY_BELOW_BYTES) {
    stream.write(frameMessage(body), done);
    return;
  }
  const header = Buffer.allocUnsafe(MESSAGE_HEADER_BYTES);
  header[0] = 0;
  header.writeUInt32BE(body.length, 1);
  stream.write(header);
  stream.write(body, done);
}
