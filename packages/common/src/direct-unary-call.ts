// One unary gRPC call served on @ensemble/proto's HTTP/2 server directly (grpc-server.ts: a
// service bound with `direct`), with the service's grpc-js handler: it reads the one request
// message, hands the handler a call with `request`, `metadata`, `getPeer()`, `getPath()` and
// `cancelled` (the part of grpc-js's ServerUnaryCall such handlers may use), and answers as
// grpc-js does: the response and OK, or a trailers-only error with the error's code, details
// and metadata.
import * as grpc from '@grpc/grpc-js';
import { GRPC_RESPONSE_FIELDS, GRPC_STATUS, type HeaderField, headerObject, type Http2Stream, MessageDeframer, statusFields, WireError, writeMessage, type MessageEncoding } from '@ensemble/proto';
import type { MethodDefinition } from '@grpc/proto-loader';

/** What a directly served unary call gives its handler. */
export interface DirectUnaryCall<Req> {
  request: Req;
  metadata: grpc.Metadata;
  cancelled: boolean;
  getPeer(): string;
  getPath(): string;
}

/** A unary method and the grpc-js handler that serves it. */
export interface DirectUnaryMethod {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  method: MethodDefinition<any, any, any, any>;
  handler: grpc.handleUnaryCall<unknown, unknown>;
}

export function serveUnaryCall(stream: Http2Stream, fields: readonly HeaderField[], peer: string, served: DirectUnaryMethod, maxReceiveBytes: number, encoding: MessageEncoding): void {
  const { method, handler } = served;
  const deframer = new MessageDeframer(maxReceiveBytes, encoding);
  const bodies: Buffer[] = [];
  let answered = false;
  let call: DirectUnaryCall<unknown> | null = null;
  const answer = (code: number, details: string, metadata?: grpc.Metadata, response?: Buffer): void => {
    if (answered) return;
    answered = true;
    if (stream.isClosed) return;
    const trailers = statusFields(code, details, metadata?.toHttp2Headers());
    if (response === undefined) return stream.sendHeaders([...GRPC_RESPONSE_FIELDS, ...trailers], true); // trailers-only
    stream.sendHeaders(GRPC_RESPONSE_FIELDS);
    writeMessage(stream, response);
    stream.end(trailers);
  };
  const run = (): void => {
    if (answered) return;
    if (bodies.length !== 1) return answer(GRPC_STATUS.UNIMPLEMENTED, `a unary call takes one request message, not ${bodies.length}`);
    let request: unknown;
    try {
      request = method.requestDeserialize(bodies[0]);
    } catch (err) {
      return answer(GRPC_STATUS.INTERNAL, `cannot parse the request: ${err instanceof Error ? err.message : String(err)}`);
    }
    const path = method.path;
    call = { request, metadata: grpc.Metadata.fromHttp2Headers(headerObject(fields)), cancelled: false, getPeer: () => peer, getPath: () => path };
    try {
      handler(call as unknown as grpc.ServerUnaryCall<unknown, unknown>, (err, value, trailer) => {
        if (err) {
          const status = err as Partial<grpc.StatusObject> & { message?: string };
          return answer(status.code ?? grpc.status.UNKNOWN, status.details ?? status.message ?? '', status.metadata ?? undefined);
        }
        let response: Buffer;
        try {
          response = method.responseSerialize(value);
        } catch (e) {
          return answer(GRPC_STATUS.INTERNAL, `cannot serialize the response: ${e instanceof Error ? e.message : String(e)}`);
        }
        answer(GRPC_STATUS.OK, '', trailer ?? undefined, response);
      });
    } catch (err) {
      answer(grpc.status.UNKNOWN, `the handler failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  stream.handlers = {
    onHeaders: (_fields, endStream) => endStream && run(),
    onData: (chunk) => {
      if (answered) return;
      try {
        bodies.push(...deframer.push(chunk));
      } catch (err) {
        answer(err instanceof WireError ? err.status : GRPC_STATUS.INTERNAL, err instanceof Error ? err.message : String(err));
      }
    },
    onEnd: run,
    onClose: () => {
      if (call) call.cancelled = true;
      answered = true;
    },
  };
  if (stream.remoteEnded) run();
}
