// Http2ServerConnection against node:http2's client (nghttp2: its HPACK uses Huffman and its
// dynamic table), and against hand-written clients for what a well-behaved client never sends.
import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { CONNECTION_PREFACE, H2_ERROR, type HeaderField, HpackEncoder, Http2ServerConnection, type Http2ServerOptions, type Http2Stream, headerObject } from '../../src';

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Served {
  stream: Http2Stream;
  headers: Record<string, string>;
  data: Buffer[];
  ended: boolean;
  closed: Promise<{ reason: string; code: number }>;
}

describe('Http2ServerConnection', () => {
  let server: net.Server;
  let connections: Http2ServerConnection[];
  let clients: http2.ClientHttp2Session[];
  let sockets: net.Socket[];

  /** Serves with `onStream` on a fresh port; every stream is recorded (`served`). */
  const start = async (onStream: (s: Served) => void, opts: Http2ServerOptions = {}): Promise<{ port: number; served: Served[] }> => {
    const served: Served[] = [];
    server = net.createServer((socket) => {
      const connection = new Http2ServerConnection(socket, opts);
      connections.push(connection);
      connection.on('stream', (stream: Http2Stream, fields: HeaderField[]) => {
        let closed!: (v: { reason: string; code: number }) => void;
        const s: Served = { stream, headers: headerObject(fields), data: [], ended: stream.remoteEnded, closed: new Promise((resolve) => (closed = resolve)) };
        stream.handlers = {
          onHeaders: () => undefined,
          onData: (chunk) => s.data.push(chunk),
          onEnd: () => (s.ended = true),
          onClose: (reason, code) => closed({ reason, code }),
        };
        served.push(s);
        onStream(s);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, served };
  };
  const connect = (port: number, options: http2.ClientSessionOptions = {}): http2.ClientHttp2Session => {
    const client = http2.connect(`http://127.0.0.1:${port}`, options);
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  /** A client that writes raw bytes: the preface and an empty SETTINGS, then what the test sends. */
  const rawClient = async (port: number): Promise<{ socket: net.Socket; received: () => Buffer }> => {
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    const parts: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => parts.push(chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(Buffer.concat([CONNECTION_PREFACE, frame(0x4, 0, 0, Buffer.alloc(0))]));
    return { socket, received: () => Buffer.concat(parts) };
  };

  beforeEach(() => {
    connections = [];
    clients = [];
    sockets = [];
  });
  afterEach(async () => {
    for (const c of clients) c.destroy();
    for (const s of sockets) s.destroy();
    for (const c of connections) c.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('reads a request (headers and data) and answers with headers, data and trailers', async () => {
    const { port, served } = await start((s) => {
      s.stream.handlers.onEnd = () => {
        s.ended = true;
        s.stream.sendHeaders([[':status', '200'], ['content-type', 'application/grpc'], ['x-answer', 'é ünïcode']]);
        s.stream.write(Buffer.concat(s.data));
        s.stream.end([['grpc-status', '0'], ['grpc-message', 'fine']]);
      };
    });
    const client = connect(port);
    const long = 'x'.repeat(300);
    const req = client.request({ ':method': 'POST', ':path': '/test.Echo/Call', 'content-type': 'application/grpc', 'x-long': long });
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const parts: Buffer[] = [];
    req.on('response', (h) => (headers = h));
    req.on('trailers', (t) => (trailers = t));
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.end(Buffer.from('hello'));
    await new Promise((resolve) => req.on('close', resolve));
    expect(served[0].headers[':path']).toBe('/test.Echo/Call');
    expect(served[0].headers['x-long']).toBe(long);
    expect(headers[':status']).toBe(200);
    expect(headers['x-answer']).toBe('é ünïcode');
    expect(Buffer.concat(parts).toString()).toBe('hello');
    expect(trailers).toMatchObject({ 'grpc-status': '0', 'grpc-message': 'fine' });
    expect(req.rstCode).toBe(http2.constants.NGHTTP2_NO_ERROR);
    expect((await served[0].closed).code).toBe(H2_ERROR.NO_ERROR);
  });

  it('decodes 50 streams whose headers share the client HPACK table', async () => {
    const { port, served } = await start((s) => s.stream.sendHeaders([[':status', '200'], ['grpc-status', '0']], true));
    const client = connect(port);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const req = client.request({ ':method': 'POST', ':path': '/x', 'x-same': 'the same value every time', 'x-n': `n${i}` }, { endStream: true });
        req.resume();
        return new Promise((resolve) => req.on('close', resolve));
      }),
    );
    expect(served.map((s) => s.headers['x-n']).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `n${i}`).sort());
    expect(served.every((s) => s.headers['x-same'] === 'the same value every time')).toBe(true);
  });

  it('answers before the client has finished, resetting the stream with NO_ERROR', async () => {
    const { port, served } = await start((s) => {
      s.stream.sendHeaders([[':status', '200'], ['grpc-status', '5']], true);
    });
    const client = connect(port);
    const req = client.request({ ':method': 'POST', ':path': '/x' });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(10));
    let status: number | undefined;
    req.on('response', (h) => (status = Number(h[':status'])));
    await new Promise((resolve) => req.on('close', resolve));
    expect(status).toBe(200);
    expect(req.rstCode).toBe(http2.constants.NGHTTP2_NO_ERROR);
    expect((await served[0].closed).code).toBe(H2_ERROR.NO_ERROR);
    expect(connections[0].streamCount).toBe(0);
  });

  it('sends 1 MiB into a 16 KiB window the client opens only as it reads', async () => {
    const big = Buffer.alloc(1024 * 1024, 7);
    const { port } = await start((s) => {
      s.stream.sendHeaders([[':status', '200']]);
      s.stream.write(big);
      s.stream.end();
    });
    const client = connect(port, { settings: { initialWindowSize: 16 * 1024 } });
    const req = client.request({ ':method': 'POST', ':path': '/x' }, { endStream: true });
    req.pause();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.resume();
    await new Promise((resolve) => req.on('end', resolve));
    expect(Buffer.concat(parts).equals(big)).toBe(true);
  });

  it('stops the client while a stream is paused, and takes the rest once resumed', async () => {
    const windowBytes = 64 * 1024;
    const { port, served } = await start((s) => s.stream.pause(), { windowBytes });
    const client = connect(port);
    const req = client.request({ ':method': 'POST', ':path': '/upload' });
    req.on('error', () => undefined);
    const upload = Buffer.alloc(3 * 1024 * 1024, 3);
    req.end(upload);
    await until(() => served.length === 1 && served[0].data.length > 0, 'the first bytes');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const received = () => served[0].data.reduce((n, b) => n + b.length, 0);
    expect(received()).toBeLessThanOrEqual(windowBytes);
    served[0].stream.resume();
    served[0].stream.handlers.onData = (chunk) => {
      served[0].data.push(chunk);
      served[0].stream.resume();
    };
    await until(() => received() === upload.length, 'the whole upload');
    expect(Buffer.concat(served[0].data).equals(upload)).toBe(true);
  });

  it('reports a stream the client resets, and keeps the connection', async () => {
    const { port, served } = await start(() => undefined);
    const client = connect(port);
    const req = client.request({ ':method': 'POST', ':path': '/x' });
    req.on('error', () => undefined);
    await until(() => served.length === 1, 'the stream');
    req.close(http2.constants.NGHTTP2_CANCEL);
    expect(await served[0].closed).toEqual({ reason: 'reset by the client (code 8)', code: H2_ERROR.CANCEL });
    const again = client.request({ ':method': 'POST', ':path': '/y' }, { endStream: true });
    again.on('error', () => undefined);
    await until(() => served.length === 2, 'the second stream');
    expect(connections[0].closed).toBe(false);
  });

  it('answers pings', async () => {
    const { port } = await start(() => undefined);
    const client = connect(port);
    await new Promise((resolve) => client.once('connect', resolve));
    const rtt = await new Promise<number>((resolve, reject) => client.ping((err, ms) => (err ? reject(err) : resolve(ms))));
    expect(rtt).toBeGreaterThanOrEqual(0);
  });

  it('lets open streams finish after a GOAWAY, then closes', async () => {
    const { port, served } = await start(() => undefined);
    const client = connect(port);
    const req = client.request({ ':method': 'POST', ':path': '/x' });
    req.on('error', () => undefined);
    let status: number | undefined;
    req.on('response', (h) => (status = Number(h[':status'])));
    req.resume();
    const reqClosed = new Promise((resolve) => req.on('close', resolve));
    await until(() => served.length === 1, 'the stream');
    const closed = new Promise((resolve) => connections[0].once('close', resolve));
    const goaway = new Promise((resolve) => client.once('goaway', resolve));
    connections[0].goaway();
    await goaway;
    expect(connections[0].closed).toBe(false);
    served[0].stream.sendHeaders([[':status', '200']]);
    served[0].stream.end([['grpc-status', '0']]);
    await Promise.all([closed, reqClosed]);
    expect(status).toBe(200);
  });

  it('refuses streams past its concurrency limit', async () => {
    const { port, served } = await start(() => undefined, { maxConcurrentStreams: 2 });
    const { socket, received } = await rawClient(port);
    const encoder = new HpackEncoder();
    for (const id of [1, 3, 5]) socket.write(frame(0x1, 0x4, id, encoder.encode([[':method', 'POST'], [':scheme', 'http'], [':path', '/x']])));
    await until(() => findFrame(received(), 0x3, 5) !== null, 'the reset of stream 5');
    expect(findFrame(received(), 0x3, 5)?.readUInt32BE(0)).toBe(H2_ERROR.REFUSED_STREAM);
    expect(served.map((s) => s.stream.id)).toEqual([1, 3]);
  });

  it('resets a request without :method or :path, and keeps the connection', async () => {
    const { port, served } = await start(() => undefined);
    const { socket, received } = await rawClient(port);
    const encoder = new HpackEncoder();
    socket.write(frame(0x1, 0x4, 1, encoder.encode([[':scheme', 'http'], [':path', '/x']])));
    socket.write(frame(0x1, 0x4, 3, encoder.encode([[':method', 'POST'], [':scheme', 'http'], [':path', '/x']])));
    await until(() => served.length === 1, 'the good stream');
    expect(findFrame(received(), 0x3, 1)?.readUInt32BE(0)).toBe(H2_ERROR.PROTOCOL_ERROR);
    expect(served[0].stream.id).toBe(3);
  });

  it('closes on a connection that does not start with the preface', async () => {
    const { port } = await start(() => undefined);
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.resume();
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.on('close', resolve));
    expect(connections[0].closed).toBe(true);
  });

  it.each([
    ['a frame past the maximum size', () => frame(0x0, 0, 1, Buffer.alloc(20_000)), H2_ERROR.FRAME_SIZE_ERROR],
    ['HEADERS on an even stream', () => frame(0x1, 0x4, 2, new HpackEncoder().encode([[':method', 'POST'], [':path', '/x']])), H2_ERROR.PROTOCOL_ERROR],
    ['DATA on a stream never opened', () => frame(0x0, 0, 7, Buffer.alloc(4)), H2_ERROR.PROTOCOL_ERROR],
    ['a header block that does not decode', () => frame(0x1, 0x4, 1, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])), H2_ERROR.COMPRESSION_ERROR],
  ])('answers %s with a GOAWAY and closes', async (_what, bad, code) => {
    const { port } = await start(() => undefined);
    const { socket, received } = await rawClient(port);
    socket.write(bad());
    await new Promise((resolve) => socket.on('close', resolve));
    expect(findFrame(received(), 0x7, 0)?.readUInt32BE(4)).toBe(code);
  });

  it('drops a client that resets streams faster than allowed (rapid reset)', async () => {
    const { port } = await start(() => undefined, { maxResetsPerSecond: 20 });
    const { socket, received } = await rawClient(port);
    const encoder = new HpackEncoder();
    for (let id = 1; id < 100; id += 2) {
      socket.write(frame(0x1, 0x4, id, encoder.encode([[':method', 'POST'], [':scheme', 'http'], [':path', '/x']])));
      socket.write(frame(0x3, 0, id, Buffer.from([0, 0, 0, 8])));
    }
    await new Promise((resolve) => socket.on('close', resolve));
    expect(findFrame(received(), 0x7, 0)?.readUInt32BE(4)).toBe(H2_ERROR.ENHANCE_YOUR_CALM);
  });

  it('drops a client that stops answering its keepalive pings', async () => {
    const { port } = await start(() => undefined, { keepaliveMs: 50, keepaliveTimeoutMs: 100 });
    const { socket, received } = await rawClient(port);
    await new Promise((resolve) => socket.on('close', resolve));
    expect(findFrame(received(), 0x6, 0)).not.toBeNull();
    expect(connections[0].closed).toBe(true);
  });
});

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}

/** The payload of the first frame of `type` on `streamId` in `bytes`, or null. */
function findFrame(bytes: Buffer, type: number, streamId: number): Buffer | null {
  for (let at = 0; at + 9 <= bytes.length; ) {
    const length = bytes.readUIntBE(at, 3);
    if (bytes[at + 3] === type && (bytes.readUInt32BE(at + 5) & 0x7fffffff) === streamId) return bytes.subarray(at + 9, at + 9 + length);
    at += 9 + length;
  }
  return null;
}
