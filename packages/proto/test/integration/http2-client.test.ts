// Http2ClientConnection against node:http2's server (nghttp2): headers both ways (the server's
// HPACK uses Huffman and its dynamic table), flow control both ways, pings, resets, GOAWAY and a
// server that does not speak HTTP/2 at all.
import * as http2 from 'node:http2';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Http2ClientConnection, type Http2Stream, type HeaderField, H2_ERROR, requestFields } from '../../src';

interface Received {
  headers: Array<{ fields: HeaderField[]; endStream: boolean }>;
  data: Buffer[];
  ended: boolean;
  closed: Promise<{ reason: string; code: number }>;
}

function open(connection: Http2ClientConnection, path = '/test.Echo/Stream'): { stream: Http2Stream; got: Received } {
  let closed!: (v: { reason: string; code: number }) => void;
  const got: Received = { headers: [], data: [], ended: false, closed: new Promise((resolve) => (closed = resolve)) };
  const stream = connection.request(requestFields(path, 'localhost'), {
    onHeaders: (fields, endStream) => got.headers.push({ fields, endStream }),
    onData: (chunk) => got.data.push(chunk),
    onEnd: () => (got.ended = true),
    onClose: (reason, code) => closed({ reason, code }),
  });
  return { stream, got };
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Http2ClientConnection against node:http2', () => {
  let server: http2.Http2Server;
  let sessions: http2.ServerHttp2Session[];
  let connections: Http2ClientConnection[];

  const start = async (onStream: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void, options: http2.ServerOptions = {}): Promise<number> => {
    server = http2.createServer(options);
    server.on('session', (s) => sessions.push(s));
    server.on('stream', onStream);
    return listen(server);
  };
  const connect = (port: number, extra: Partial<ConstructorParameters<typeof Http2ClientConnection>[0]> = {}): Http2ClientConnection => {
    const c = new Http2ClientConnection({ host: '127.0.0.1', port, ...extra });
    connections.push(c);
    return c;
  };

  beforeEach(() => {
    sessions = [];
    connections = [];
  });
  afterEach(async () => {
    for (const c of connections) c.destroy();
    for (const s of sessions) s.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('sends request headers and data, and reads the answer, its headers and trailers', async () => {
    let seen: http2.IncomingHttpHeaders = {};
    const long = 'x'.repeat(300) + ' é ünïcode %';
    const port = await start((stream, headers) => {
      seen = headers;
      const parts: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => parts.push(chunk));
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto', 'x-custom': 'www.example.com/some/path?q=1' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': encodeURIComponent(long) }));
        stream.end(Buffer.concat(parts));
      });
    });
    const connection = connect(port);
    const { stream, got } = open(connection);
    stream.write(Buffer.from('hello, '));
    stream.write(Buffer.from('world'));
    stream.end();
    const closed = await got.closed;

    expect(seen[':method']).toBe('POST');
    expect(seen[':scheme']).toBe('http');
    expect(seen[':path']).toBe('/test.Echo/Stream');
    expect(seen[':authority']).toBe('localhost');
    expect(seen['content-type']).toBe('application/grpc+proto');
    expect(seen.te).toBe('trailers');
    expect(Buffer.concat(got.data).toString()).toBe('hello, world');
    expect(got.headers).toHaveLength(2);
    const response = Object.fromEntries(got.headers[0].fields);
    expect(response[':status']).toBe('200');
    expect(response['x-custom']).toBe('www.example.com/some/path?q=1');
    expect(got.headers[1].endStream).toBe(true);
    expect(decodeURIComponent(Object.fromEntries(got.headers[1].fields)['grpc-message'])).toBe(long);
    expect(closed.code).toBe(H2_ERROR.NO_ERROR);
    expect(connection.isConnected).toBe(true);
  });

  it('keeps many streams in step with the server HPACK table over one connection', async () => {
    const port = await start((stream, headers) => {
      stream.respond({ ':status': 200, 'x-echo': String(headers['x-n']), 'x-same': 'the same value every time' }, { endStream: true });
    });
    const connection = connect(port);
    const results: string[] = [];
    for (let i = 0; i < 50; i++) {
      let closed!: () => void;
      const done = new Promise<void>((resolve) => (closed = resolve));
      const stream = connection.request([...requestFields('/x', 'localhost'), ['x-n', `n${i}`]], {
        onHeaders: (fields) => results.push(Object.fromEntries(fields)['x-echo'] + '|' + Object.fromEntries(fields)['x-same']),
        onData: () => undefined,
        onEnd: () => undefined,
        onClose: () => closed(),
      });
      stream.end();
      await done;
    }
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => `n${i}|the same value every time`));
  });

  it('waits for window updates when the server reads slowly, and delivers everything in order', async () => {
    const sent = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 7) & 0xff;
    let serverStream: http2.ServerHttp2Stream | null = null;
    const parts: Buffer[] = [];
    const port = await start(
      (stream) => {
        serverStream = stream;
        stream.pause();
        stream.on('data', (chunk: Buffer) => parts.push(chunk));
      },
      { settings: { initialWindowSize: 16 * 1024 } },
    );
    const connection = connect(port);
    const { stream } = open(connection);
    let written = false;
    stream.write(sent, (err) => (written = !err));
    await until(() => serverStream !== null && connection.isConnected, 'the stream to arrive');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The server has not read: most of the megabyte is still waiting for window.
    expect(stream.pendingBytes).toBeGreaterThan(sent.length / 2);
    expect(written).toBe(false);
    serverStream!.resume();
    await until(() => parts.reduce((n, p) => n + p.length, 0) === sent.length, 'all bytes');
    expect(Buffer.concat(parts).equals(sent)).toBe(true);
    await until(() => written, 'the write callback');
    expect(stream.pendingBytes).toBe(0);
  });

  it('gives the server window back as it receives, so large answers flow through a small window', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 0xab);
    const port = await start((stream) => {
      stream.respond({ ':status': 200 });
      stream.end(big);
    });
    const connection = connect(port, { windowBytes: 65_535 });
    const { stream, got } = open(connection);
    stream.end();
    await got.closed;
    expect(got.ended).toBe(true);
    expect(Buffer.concat(got.data).equals(big)).toBe(true);
  });

  it('answers the server pings', async () => {
    const port = await start(() => undefined);
    const connection = connect(port);
    await until(() => connection.isConnected && sessions.length === 1, 'the connection');
    const rtt = await new Promise<number>((resolve, reject) => sessions[0].ping((err, ms) => (err ? reject(err) : resolve(ms))));
    expect(rtt).toBeGreaterThanOrEqual(0);
  });

  it('reports a stream the server resets, with its code, and keeps the connection', async () => {
    const port = await start((stream, headers) => {
      stream.on('error', () => undefined); // the reset below is reported on the server's side too
      if (headers[':path'] === '/reset') stream.close(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
      else stream.respond({ ':status': 200 }, { endStream: true });
    });
    const connection = connect(port);
    const reset = open(connection, '/reset');
    expect(await reset.got.closed).toEqual({ reason: 'reset by the server (code 11)', code: 11 });
    const fine = open(connection, '/fine');
    fine.stream.end();
    expect((await fine.got.closed).code).toBe(H2_ERROR.NO_ERROR);
    expect(connection.closed).toBe(false);
  });

  it('closes with every stream when the server goes away', async () => {
    let streams = 0;
    const port = await start(() => streams++);
    const connection = connect(port);
    const closing = new Promise<string>((resolve) => connection.once('close', resolve));
    const { got } = open(connection);
    // Once the server has the stream: a GOAWAY sent before would name it unprocessed (refused).
    await until(() => sessions.length === 1 && streams === 1, 'the stream at the server');
    sessions[0].destroy();
    await closing;
    expect((await got.closed).code).toBe(H2_ERROR.CANCEL);
    expect(connection.closed).toBe(true);
  });

  it('refuses streams the GOAWAY said were never processed', async () => {
    const port = await start(() => undefined);
    const connection = connect(port);
    await until(() => connection.isConnected && sessions.length === 1, 'the connection');
    sessions[0].goaway(http2.constants.NGHTTP2_NO_ERROR, 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { got } = open(connection);
    expect((await got.closed).code).toBe(H2_ERROR.REFUSED_STREAM);
  });
});

describe('Http2ClientConnection against hand-written servers', () => {
  let server: net.Server;
  let sockets: net.Socket[];
  beforeEach(() => (sockets = []));
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const rawServer = async (onConnection: (socket: net.Socket) => void): Promise<number> => {
    server = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      onConnection(socket);
    });
    return listen(server);
  };

  it('closes a stream the server ended first (without a reset) once this side ends too', async () => {
    // A server that answers stream 1's HEADERS with a HEADERS frame (':status: 200', static index 8)
    // that ends its side, and leaves the stream half-closed, as RFC 9113 allows.
    const port = await rawServer((socket) => {
      let inbound = Buffer.alloc(0);
      let at = 24; // the client's preface
      socket.write(Buffer.from([0, 0, 0, 0x4, 0, 0, 0, 0, 0])); // empty SETTINGS
      socket.on('data', (chunk: Buffer) => {
        inbound = Buffer.concat([inbound, chunk]);
        while (inbound.length - at >= 9) {
          const length = inbound.readUIntBE(at, 3);
          const type = inbound[at + 3];
          if (inbound.length - at < 9 + length) return;
          at += 9 + length;
          if (type === 0x1) socket.write(Buffer.from([0, 0, 1, 0x1, 0x5, 0, 0, 0, 1, 0x88]));
        }
      });
    });
    const connection = new Http2ClientConnection({ host: '127.0.0.1', port });
    const closes: Array<{ reason: string; code: number }> = [];
    const headers: boolean[] = [];
    const stream = connection.request(requestFields('/x', 'localhost'), {
      onHeaders: (_, endStream) => headers.push(endStream),
      onData: () => undefined,
      onEnd: () => undefined,
      onClose: (reason, code) => closes.push({ reason, code }),
    });
    await until(() => headers.length === 1, 'the answer');
    expect(headers).toEqual([true]);
    expect(closes).toEqual([]);
    stream.end();
    expect(closes).toEqual([{ reason: 'ended', code: H2_ERROR.NO_ERROR }]);
    connection.destroy();
  });

  it('closes when a header block grows past the header list limit, before decoding it', async () => {
    const frame = (type: number, flags: number, payload: Buffer): Buffer => {
      const header = Buffer.from([0, 0, 0, type, flags, 0, 0, 0, 1]);
      header.writeUIntBE(payload.length, 0, 3);
      return Buffer.concat([header, payload]);
    };
    const port = await rawServer((socket) => {
      socket.write(Buffer.from([0, 0, 0, 0x4, 0, 0, 0, 0, 0])); // empty SETTINGS
      socket.once('data', () => {
        socket.write(frame(0x1, 0, Buffer.alloc(600, 0x88))); // HEADERS without END_HEADERS
        for (let i = 0; i < 4; i++) socket.write(frame(0x9, 0, Buffer.alloc(600, 0x88))); // CONTINUATIONs
      });
    });
    const connection = new Http2ClientConnection({ host: '127.0.0.1', port, maxHeaderListBytes: 1024 });
    const { got } = open(connection);
    const reason = await new Promise<string>((resolve) => connection.once('close', resolve));
    expect(reason).toBe(`protocol error (code ${H2_ERROR.COMPRESSION_ERROR}): header block of more than 1024 bytes`);
    expect(got.headers).toEqual([]);
  });

  it('closes with a protocol error when the server answers with something other than HTTP/2', async () => {
    const port = await rawServer((socket) => socket.write('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    const connection = new Http2ClientConnection({ host: '127.0.0.1', port });
    const reason = await new Promise<string>((resolve) => connection.once('close', resolve));
    expect(reason).toMatch(/protocol error/);
    expect(connection.isConnected).toBe(false);
  });

  it('closes when a keepalive ping is not answered', async () => {
    const port = await rawServer(() => undefined); // accepts and never says a word
    const connection = new Http2ClientConnection({ host: '127.0.0.1', port, keepaliveMs: 50, keepaliveTimeoutMs: 100 });
    const reason = await new Promise<string>((resolve) => connection.once('close', resolve));
    expect(reason).toBe('no answer to a keepalive ping within 100 ms');
  });

  it('closes when nothing listens', async () => {
    const port = await rawServer(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    server = net.createServer(); // for afterEach
    server.listen(0, '127.0.0.1');
    const connection = new Http2ClientConnection({ host: '127.0.0.1', port });
    const reason = await new Promise<string>((resolve) => connection.once('close', resolve));
    expect(reason).toMatch(/ECONNREFUSED/);
  });
});
