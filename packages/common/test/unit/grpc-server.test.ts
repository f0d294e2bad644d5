import * as http2 from 'node:http2';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { loadHealthV1, type healthV1 } from '@ensemble/proto';
import { domainError, readDomainCode, readErrorMetadata, startGrpcServer, waitFor, type GrpcServerHandle, type RawStreamBinding } from '@ensemble/common';

// A tiny JSON-encoded service, independent of the project's protos.
const json = {
  serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
  deserialize: (bytes: Buffer) => JSON.parse(bytes.toString()) as unknown,
};
const probeDefinition: grpc.ServiceDefinition = {
  Get: {
    path: '/test.v1.Probe/Get',
    requestStream: false,
    responseStream: false,
    requestSerialize: json.serialize,
    requestDeserialize: json.deserialize,
    responseSerialize: json.serialize,
    responseDeserialize: json.deserialize,
  },
};
type ProbeClient = grpc.Client & { Get(req: unknown, cb: (err: grpc.ServiceError | null, res?: unknown) => void): void };

function probeClient(address: string, definition = probeDefinition): ProbeClient {
  const Ctor = grpc.makeGenericClientConstructor(definition, 'Probe');
  return new Ctor(address, grpc.credentials.createInsecure()) as unknown as ProbeClient;
}

const probeImplementation: grpc.UntypedServiceImplementation = {
  Get: (call: grpc.ServerUnaryCall<{ path: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
    if (call.request.path === '/missing') {
      callback(domainError({ status: grpc.status.NOT_FOUND, code: 'NO_NODE', message: 'no node /missing', metadataKey: 'coord-error' }));
    } else if (call.request.path === '/follower') {
      const extra = { 'coord-leader': '127.0.0.1:2182' };
      callback(domainError({ status: grpc.status.UNAVAILABLE, code: 'NOT_LEADER', message: 'not the leader', metadataKey: 'coord-error', extra }));
    } else {
      callback(null, { path: call.request.path, data: 'x' });
    }
  },
};

// A bidirectional method served raw (on node:http2, in front of grpc-js): echoes, ends on 'bye'
// with a status and trailing metadata, and half-closes when the client does.
const chatDefinition: grpc.ServiceDefinition = {
  Chat: { ...probeDefinition.Get, path: '/test.v1.Echo/Chat', requestStream: true, responseStream: true },
};
const chatRaw: RawStreamBinding = {
  method: chatDefinition.Chat as RawStreamBinding['method'],
  handle: (call) => {
    call.on('data', (m: { say: string }) => {
      if (m.say !== 'bye') return call.write({ echo: m.say, peer: call.getPeer().startsWith('127.0.0.1:') });
      const metadata = new grpc.Metadata();
      metadata.set('coord-error', 'NO_NODE');
      call.end({ code: grpc.status.FAILED_PRECONDITION, details: 'bye, 100% done', metadata });
    });
    call.on('end', () => call.end());
  },
};
type ChatClient = grpc.Client & { Chat(): grpc.ClientDuplexStream<unknown, unknown> };

function unary<T>(fn: (cb: (err: grpc.ServiceError | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

// Every test of the server runs twice: grpc-js alone, and behind the raw front (whose relay
// must carry unary calls, health, watches, reflection and error metadata unchanged).
describe.each([
  ['grpc-js alone', [] as RawStreamBinding[]],
  ['behind a raw stream front', [chatRaw]],
])('startGrpcServer (%s)', (_mode, rawStreams) => {
  let handle: GrpcServerHandle;
  let health: healthV1.HealthClient;
  const address = () => `127.0.0.1:${handle.port}`;

  beforeAll(async () => {
    handle = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      services: [{ definition: probeDefinition, implementation: probeImplementation }],
      reflectionProtoFiles: ['coord/v1/coord.proto'],
      rawStreams,
    });
    health = new (loadHealthV1().grpc.health.v1.Health)(address(), grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    health.close();
    await handle.shutdown(1000);
  });

  it('binds a real port when asked for port 0', () => {
    expect(handle.port).toBeGreaterThan(0);
  });

  it('rejects with the address when the port is taken', async () => {
    // grpc-js also reports the failed bind on console.error; keep the test output clean.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(startGrpcServer({ host: '127.0.0.1', port: handle.port, services: [], rawStreams })).rejects.toThrow(`cannot listen for gRPC on ${address()}`);
    quiet.mockRestore();
  });

  it('answers health Check for the server, its services, and NOT_FOUND for others', async () => {
    expect(await unary<healthV1.HealthCheckResponse__Output>((cb) => health.Check({ service: '' }, cb))).toEqual({ status: 'SERVING' });
    expect(await unary<healthV1.HealthCheckResponse__Output>((cb) => health.Check({ service: 'test.v1.Probe' }, cb))).toEqual({ status: 'SERVING' });
    await expect(unary((cb) => health.Check({ service: 'nope.v1.X' }, cb))).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it('lists every known service in health List', async () => {
    handle.health.setStatus('coord.v1.Coordination', 'NOT_SERVING');
    const res = await unary<healthV1.HealthListResponse__Output>((cb) => health.List({}, cb));
    expect(res.statuses).toEqual({
      '': { status: 'SERVING' },
      'test.v1.Probe': { status: 'SERVING' },
      'coord.v1.Coordination': { status: 'NOT_SERVING' },
    });
  });

  it('streams status changes to health Watch', async () => {
    const call = health.Watch({ service: 'replication' });
    const seen: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      call.on('data', (msg: healthV1.HealthCheckResponse__Output) => {
        seen.push(msg.status);
        if (seen.length === 1) handle.health.setStatus('replication', 'SERVING');
        if (seen.length === 2) handle.health.setStatus('replication', 'NOT_SERVING');
        if (seen.length === 3) resolve();
      });
      call.on('error', (err: grpc.ServiceError) => (err.code === grpc.status.CANCELLED ? undefined : reject(err)));
    });
    await done;
    call.cancel();
    expect(seen).toEqual(['SERVICE_UNKNOWN', 'SERVING', 'NOT_SERVING']);
  });

  it('answers reflection list services (what grpcurl list shows)', async () => {
    const reflectionDir = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto');
    const def = protoLoader.loadSync(path.join(reflectionDir, 'grpc/reflection/v1/reflection.proto'), { includeDirs: [reflectionDir] });
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: new (addr: string, creds: grpc.ChannelCredentials) => grpc.Client & Record<string, () => grpc.ClientDuplexStream<unknown, unknown>> } } };
    };
    const client = new pkg.grpc.reflection.v1.ServerReflection(address(), grpc.credentials.createInsecure());
    try {
      const call = client.ServerReflectionInfo();
      const reply = new Promise<{ listServicesResponse: { service: Array<{ name: string }> } }>((resolve, reject) => {
        call.on('data', resolve);
        call.on('error', reject);
      });
      call.write({ listServices: '' });
      const names = (await reply).listServicesResponse.service.map((s) => s.name);
      call.end();
      expect(names).toEqual(expect.arrayContaining(['grpc.health.v1.Health', 'coord.v1.Coordination']));
    } finally {
      client.close();
    }
  });

  it('carries a domain error code in trailing metadata through a real call', async () => {
    const client = probeClient(address());
    try {
      expect(await unary((cb) => client.Get({ path: '/a' }, cb))).toEqual({ path: '/a', data: 'x' });
      const missing = await unary((cb) => client.Get({ path: '/missing' }, cb)).catch((e: unknown) => e);
      expect(missing).toMatchObject({ code: grpc.status.NOT_FOUND, details: 'no node /missing' });
      expect(readDomainCode(missing, 'coord-error')).toBe('NO_NODE');
      const follower = await unary((cb) => client.Get({ path: '/follower' }, cb)).catch((e: unknown) => e);
      expect(follower).toMatchObject({ code: grpc.status.UNAVAILABLE });
      expect(readDomainCode(follower, 'coord-error')).toBe('NOT_LEADER');
      expect(readErrorMetadata(follower, 'coord-leader')).toBe('127.0.0.1:2182');
    } finally {
      client.close();
    }
  });
});

describe.each([
  ['grpc-js alone', [] as RawStreamBinding[]],
  ['behind a raw stream front', [chatRaw]],
])('GrpcServerHandle.shutdown (%s)', (_mode, rawStreams) => {
  it('marks health NOT_SERVING, ends watches, and stops accepting calls', async () => {
    const handle = await startGrpcServer({ host: '127.0.0.1', port: 0, services: [], rawStreams });
    const health = new (loadHealthV1().grpc.health.v1.Health)(`127.0.0.1:${handle.port}`, grpc.credentials.createInsecure());
    try {
      const watch = health.Watch({ service: '' });
      const statuses: string[] = [];
      const ended = new Promise<void>((resolve) => {
        watch.on('data', (m: healthV1.HealthCheckResponse__Output) => {
          statuses.push(m.status);
          if (statuses.length === 1) void handle.shutdown(2000);
        });
        watch.on('status', () => resolve());
        watch.on('error', () => undefined);
      });
      await ended;
      expect(statuses).toEqual(['SERVING', 'NOT_SERVING']);
      await handle.shutdown(2000);
      const err = await unary((cb) => health.Check({ service: '' }, { deadline: Date.now() + 2000 }, cb)).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: grpc.status.UNAVAILABLE });
    } finally {
      health.close();
      await handle.shutdown(100);
    }
  });

  it('cuts calls still running when the grace period ends', async () => {
    const hangDefinition: grpc.ServiceDefinition = { Get: { ...probeDefinition.Get, path: '/test.v1.Hang/Get' } };
    let arrived: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const handle = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      services: [{ definition: hangDefinition, implementation: { Get: () => arrived() } }],
      rawStreams,
    });
    const client = probeClient(`127.0.0.1:${handle.port}`, hangDefinition);
    try {
      const pending = unary((cb) => client.Get({}, cb)).catch((e: unknown) => e);
      await arrival;
      const startedMs = Date.now();
      await handle.shutdown(200);
      expect(Date.now() - startedMs).toBeLessThan(2000);
      const cut = (await pending) as grpc.ServiceError;
      expect([grpc.status.CANCELLED, grpc.status.UNAVAILABLE]).toContain(cut.code);
    } finally {
      client.close();
    }
  });
});

describe('a raw stream', () => {
  let handle: GrpcServerHandle;
  let client: ChatClient;
  beforeAll(async () => {
    handle = await startGrpcServer({ host: '127.0.0.1', port: 0, services: [], rawStreams: [chatRaw], maxReceiveMessageBytes: 1024 });
    client = new (grpc.makeGenericClientConstructor(chatDefinition, 'Echo'))(`127.0.0.1:${handle.port}`, grpc.credentials.createInsecure()) as unknown as ChatClient;
  });
  afterAll(async () => {
    client.close();
    await handle.shutdown(1000);
  });

  function chat(on: ChatClient = client): { call: grpc.ClientDuplexStream<unknown, unknown>; got: unknown[]; status: Promise<grpc.StatusObject> } {
    const call = on.Chat();
    const got: unknown[] = [];
    call.on('data', (m) => got.push(m));
    call.on('error', () => undefined);
    return { call, got, status: new Promise((resolve) => call.on('status', resolve)) };
  }

  it('answers a stock gRPC client in order, and ends with OK when the client half-closes', async () => {
    const { call, got, status } = chat();
    call.write({ say: 'a' });
    call.write({ say: 'b' });
    call.end();
    expect((await status).code).toBe(grpc.status.OK);
    expect(got).toEqual([{ echo: 'a', peer: true }, { echo: 'b', peer: true }]);
  });

  it('ends with the status, details and trailing metadata the handler gives', async () => {
    const { call, got, status } = chat();
    call.write({ say: 'x' });
    call.write({ say: 'bye' });
    const s = await status;
    expect(s).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: 'bye, 100% done' });
    expect(s.metadata.get('coord-error')).toEqual(['NO_NODE']);
    expect(got).toEqual([{ echo: 'x', peer: true }]);
  });

  it('refuses an oversized message with RESOURCE_EXHAUSTED and a malformed one with INTERNAL, and keeps serving', async () => {
    const big = chat();
    big.call.write({ say: 'y'.repeat(2000) });
    expect(await big.status).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED, details: expect.stringContaining('exceeds the limit of 1024') });

    const garbled = client.makeBidiStreamRequest('/test.v1.Echo/Chat', (b: Buffer) => b, (b: Buffer) => b);
    garbled.on('error', () => undefined);
    const garbledStatus = new Promise<grpc.StatusObject>((resolve) => garbled.on('status', resolve));
    garbled.write(Buffer.from('{not json'));
    expect(await garbledStatus).toMatchObject({ code: grpc.status.INTERNAL, details: expect.stringContaining('cannot parse the request') });

    const fine = chat();
    fine.call.write({ say: 'still here' });
    fine.call.end();
    await fine.status;
    expect(fine.got).toEqual([{ echo: 'still here', peer: true }]);
  });

  it('holds more than a thousand open streams on one client connection (one per session in a client process)', async () => {
    const chats = Array.from({ length: 1100 }, () => chat());
    chats.forEach(({ call }, i) => call.write({ say: `s${i}` }));
    await waitFor(() => chats.every(({ got }) => got.length === 1), { timeoutMs: 20_000, what: 'an answer on every stream' });
    for (const { call } of chats) call.end();
    await Promise.all(chats.map(({ status }) => status));
    expect(chats.map(({ got }) => got[0])).toEqual(chats.map((_, i) => ({ echo: `s${i}`, peer: true })));
  });

  it('reads messages a client compresses (gzip, deflate), and refuses an encoding it cannot read', async () => {
    for (const algorithm of [1, 2]) { // grpc-js: 1 deflate, 2 gzip
      const compressing = new (grpc.makeGenericClientConstructor(chatDefinition, 'Echo'))(`127.0.0.1:${handle.port}`, grpc.credentials.createInsecure(), {
        'grpc.default_compression_algorithm': algorithm,
      }) as unknown as ChatClient;
      try {
        const { call, got, status } = chat(compressing);
        call.write({ say: 'z'.repeat(300) });
        call.end();
        expect((await status).code).toBe(grpc.status.OK);
        expect(got).toEqual([{ echo: 'z'.repeat(300), peer: true }]);
      } finally {
        compressing.close();
      }
    }
    const session = http2.connect(`http://127.0.0.1:${handle.port}`);
    try {
      const req = session.request({ ':method': 'POST', ':path': '/test.v1.Echo/Chat', 'content-type': 'application/grpc', te: 'trailers', 'grpc-encoding': 'snappy' });
      const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => req.on('response', resolve));
      expect(headers['grpc-status']).toBe(String(grpc.status.UNIMPLEMENTED));
      expect(decodeURIComponent(String(headers['grpc-message']))).toMatch(/snappy is not supported/);
      req.close();
    } finally {
      session.close();
    }
  });
});

describe('a unary service served by the front directly', () => {
  let handle: GrpcServerHandle;
  let client: ProbeClient;
  const seen: Array<{ peer: string; path: string; tag: unknown }> = [];
  const direct: grpc.UntypedServiceImplementation = {
    Get: (call: grpc.ServerUnaryCall<{ path: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      seen.push({ peer: call.getPeer(), path: call.getPath(), tag: call.metadata.get('x-tag')[0] });
      if (call.request.path === '/throw') throw new Error('the handler broke');
      (probeImplementation.Get as grpc.handleUnaryCall<{ path: string }, unknown>)(call, callback);
    },
  };
  beforeAll(async () => {
    handle = await startGrpcServer({ host: '127.0.0.1', port: 0, services: [{ definition: probeDefinition, implementation: direct, direct: true }], rawStreams: [chatRaw], maxReceiveMessageBytes: 1024 });
    client = probeClient(`127.0.0.1:${handle.port}`);
  });
  afterAll(async () => {
    client.close();
    await handle.shutdown(1000);
  });

  const get = (path: string, metadata = new grpc.Metadata()): Promise<unknown> =>
    new Promise((resolve, reject) => (client as unknown as { Get(r: unknown, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, r?: unknown) => void): void }).Get({ path }, metadata, (e, r) => (e ? reject(e) : resolve(r))));

  it('answers with the handler, which sees the request, its metadata, peer and path', async () => {
    const metadata = new grpc.Metadata();
    metadata.set('x-tag', 'seven');
    expect(await get('/a', metadata)).toEqual({ path: '/a', data: 'x' });
    expect(seen.at(-1)).toEqual({ peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/), path: '/test.v1.Probe/Get', tag: 'seven' });
  });

  it('carries a domain error as grpc-js does: code, details and trailing metadata', async () => {
    const err = (await get('/follower').catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err).toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'not the leader' });
    expect(readDomainCode(err, 'coord-error')).toBe('NOT_LEADER');
    expect(err.metadata.get('coord-leader')).toEqual(['127.0.0.1:2182']);
  });

  it('answers a handler that throws, an oversized request and a malformed one with a status, and keeps serving', async () => {
    expect(await get('/throw').catch((e: grpc.ServiceError) => e.code)).toBe(grpc.status.UNKNOWN);
    expect(await get('/' + 'y'.repeat(2000)).catch((e: grpc.ServiceError) => e.code)).toBe(grpc.status.RESOURCE_EXHAUSTED);
    const garbled = await new Promise<grpc.ServiceError | null>((resolve) => client.makeUnaryRequest('/test.v1.Probe/Get', (b: Buffer) => b, (b: Buffer) => b, Buffer.from('{not json'), (e) => resolve(e)));
    expect(garbled).toMatchObject({ code: grpc.status.INTERNAL, details: expect.stringContaining('cannot parse the request') });
    expect(await get('/still')).toEqual({ path: '/still', data: 'x' });
  });
});
