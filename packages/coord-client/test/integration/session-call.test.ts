// The Session call speaks gRPC over node:http2 itself, so what grpc-js used to report for it —
// a refused call, a lost or absent server, an oversized message, a cancel — must still arrive as
// one 'error' (or 'end') and one 'status'. The misbehaving servers here are bare HTTP/2 servers
// on 127.0.0.1 (port 0); the well-behaved path is every other client test.
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { GRPC_STATUS, statusTrailers } from '@ensemble/proto';
import { acquireChannel, releaseChannel, type Channel } from '../../src/channel-pool';
import { MAX_RECEIVE_MESSAGE_BYTES } from '../../src/limits';
import { CallError, openSessionCall, type CallStatus, type SessionCall } from '../../src/session-call';

const servers: http2.Http2Server[] = [];
const channels: Channel[] = [];
afterEach(async () => {
  for (const c of channels.splice(0)) {
    releaseChannel(c);
    c.close(); // rather than after the pool's linger: the servers' close waits for it
  }
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function bareServer(onStream: (stream: http2.ServerHttp2Stream) => void, port = 0): Promise<number> {
  const server = http2.createServer();
  server.on('stream', onStream);
  server.on('session', (session) => session.on('error', () => undefined));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function channel(port: number): Channel {
  const c = acquireChannel(`127.0.0.1:${port}`);
  channels.push(c);
  return c;
}

interface Outcome {
  events: string[];
  error?: CallError;
  status: CallStatus;
}

function outcome(call: SessionCall): Promise<Outcome> {
  const events: string[] = [];
  let error: CallError | undefined;
  return new Promise((resolve) => {
    call.on('data', () => events.push('data'));
    call.on('end', () => events.push('end'));
    call.on('error', (err) => {
      events.push('error');
      error = err;
    });
    call.on('status', (status) => resolve({ events: [...events, 'status'], error, status }));
  });
}

test('a refused call (a trailers-only answer) reports its status and details', async () => {
  const port = await bareServer((stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', ...statusTrailers(GRPC_STATUS.UNAVAILABLE, 'shutting down, try 10.0.0.2') }, { endStream: true });
  });
  const result = await outcome(openSessionCall(channel(port)));
  expect(result.events).toEqual(['error', 'status']);
  expect(result.status).toEqual({ code: GRPC_STATUS.UNAVAILABLE, details: 'shutting down, try 10.0.0.2' });
  expect(result.error).toBeInstanceOf(CallError);
  expect(result.error!.code).toBe(GRPC_STATUS.UNAVAILABLE);
});

test('a server that finishes with OK ends the call; its messages come first', async () => {
  const port = await bareServer((stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers(statusTrailers(GRPC_STATUS.OK, '')));
    stream.write(Buffer.from([0, 0, 0, 0, 0])); // one empty ServerMessage
    stream.end();
  });
  const result = await outcome(openSessionCall(channel(port)));
  expect(result.events).toEqual(['data', 'end', 'status']);
  expect(result.status.code).toBe(GRPC_STATUS.OK);
});

test('a server that ends the call while the client still sends is noticed at once, not when the client ends', async () => {
  const port = await bareServer((stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers(statusTrailers(GRPC_STATUS.UNAVAILABLE, 'lost contact with the quorum')));
    stream.on('error', () => undefined);
    stream.once('data', () => stream.end()); // answers the first message by ending its side, as a server dropping clients does
  });
  const call = openSessionCall(channel(port));
  const result = outcome(call);
  call.write({ ping: {} });
  const timer = setInterval(() => call.write({ ping: {} }), 20); // the client keeps its side open and busy
  try {
    expect(await result).toMatchObject({ events: ['error', 'status'], status: { code: GRPC_STATUS.UNAVAILABLE, details: 'lost contact with the quorum' } });
  } finally {
    clearInterval(timer);
  }
});

test('a message over the client limit fails the call from its header, with the limit named', async () => {
  const port = await bareServer((stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
    const header = Buffer.alloc(5);
    header.writeUInt32BE(MAX_RECEIVE_MESSAGE_BYTES + 1, 1);
    stream.write(header);
  });
  const result = await outcome(openSessionCall(channel(port)));
  expect(result.events).toEqual(['error', 'status']);
  expect(result.status.code).toBe(GRPC_STATUS.INTERNAL);
  expect(result.status.details).toMatch(`exceeds the limit of ${MAX_RECEIVE_MESSAGE_BYTES}`);
});

test('no server listening: UNAVAILABLE; once one listens, the same channel dials again', async () => {
  const port = await bareServer(() => undefined);
  await new Promise((resolve) => servers.pop()!.close(resolve)); // the port is free again, nothing listens
  const c = channel(port);
  const refused = await outcome(openSessionCall(c));
  expect(refused.events).toEqual(['error', 'status']);
  expect(refused.status.code).toBe(GRPC_STATUS.UNAVAILABLE);
  expect(refused.status.details).toMatch(/ECONNREFUSED/);

  await bareServer((stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', ...statusTrailers(GRPC_STATUS.OK, '') }, { endStream: true });
  }, port);
  const answered = await outcome(openSessionCall(c));
  expect(answered.events).toEqual(['end', 'status']);
});

test('a cancel reports CANCELLED and nothing else, and resets the stream at the server', async () => {
  let resolveReset: (code: number) => void = () => undefined;
  const reset = new Promise<number>((resolve) => (resolveReset = resolve));
  const port = await bareServer((stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
    stream.on('error', () => undefined);
    stream.on('close', () => resolveReset(stream.rstCode ?? -1));
  });
  const call = openSessionCall(channel(port));
  const result = outcome(call);
  await new Promise((resolve) => setTimeout(resolve, 50));
  call.cancel();
  expect(await result).toMatchObject({ events: ['error', 'status'], status: { code: GRPC_STATUS.CANCELLED } });
  expect(await reset).toBe(http2.constants.NGHTTP2_CANCEL);
});
