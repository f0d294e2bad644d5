// One unary gRPC call served on @ensemble/proto's HTTP/2 server directly (grpc-server.ts: a
// service bound with `direct`), with the service's grpc-js handler: it reads the one request
// message, hands the handler a call with `request`, `metadata`, `getPeer()`, `getPath()` and
// `cancelled` (the part of grpc-js's ServerUnaryCall such handlers may use), and answers as
// grpc-js does: the response and OK, or a trailers-only error with the error's code, details
// and metadata.
import * as grpc from '@grpc/grpc-js';
import { GRPC_STATUS, type HeaderField, headerFields, headerObject, type Http2Stream, MessageDeframer, READABLE_ENCODINGS, statusTrailers, WireError, writeMessage, type MessageEncoding } from '@ensemble/proto';
import type { MethodDefinition } from '@grpc/proto-loader';

/** What a directly served unary call gives its handler. */
export interface DirectUnaryCall<Req> {
  request: Req;
  metadata: grpc.Metadata;
  cancelled: boolean;
  getPeer(): string;
  getPath(): string;
}

interface ServedMethod {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  method: MethodDefinition<any, any, any, any>;
  handler: grpc.handleUnaryCall<unknown, unknown>;
}

const RESPONSE_HEADERS: HeaderField[] = [[':status', '200'], ['content-type', 'application/grpc+proto'], ['grpc-accept-encoding', READABLE_ENCODINGS]];

export function serveUnaryCall(stream: Http2Stream, fields: readonly HeaderField[], peer: string, served: ServedMethod, maxReceiveBytes: number, encoding: MessageEncoding): void {
  const { method, handler } = served;
  const deframer = new MessageDeframer(maxReceiveBytes, encoding);
  const bodies: Buffer[] = [];
  let answered = false;
  let call: DirectUnaryCall<unknown> | null = null;
  const answer = (code: number, details: string, metadata?: grpc.Metadata, response?: Buffer): void => {
    if (answered) return;
    answered = true;
    if (stream.isClosed) return;
    const trailers = headerFields({ ...(metadata?.toHttp2Headers() ?? {}), ...statusTrailers(code, details) });
    if (response === undefined) return stream.sendHeaders([...RESPONSE_HEADERS, ...trailers], true); // trailers-only
    stream.sendHeaders(RESPONSE_HEADERS);
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
