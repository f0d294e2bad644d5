// The client port against gRPC's C-core (Python's grpcio), whose HTTP/2 is neither node:http2's
// nor ours: the Session stream served on the port's own HTTP/2 server (a 512 KiB value both
// ways, through the flow-control windows), and calls relayed to grpc-js (health, a unary read,
// an unknown method).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { killAllServiceProcesses, type TmpDir } from '@ensemble/common';
import { loadCoordV1, loadHealthV1, type coordV1 } from '@ensemble/proto';
import { startServer, tmpDataDir, type ServerHandle } from '../../support/coord-harness';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.resolve(__dirname, '../../support/grpc-python-client.py');
const haveGrpcio = spawnSync(PYTHON, ['-c', 'import grpc'], { stdio: 'ignore' }).status === 0;
const describePython = haveGrpcio ? describe : describe.skip;

interface PythonResult {
  unary: Array<{ response?: string; code?: string; details?: string }>;
  stream: string[];
  stream_status: string | null;
}

function runPython(plan: unknown): PythonResult {
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(plan), encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python client failed (${run.status ?? run.signal}): ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout) as PythonResult;
}

describePython('a Python grpcio client', () => {
  let dir: TmpDir;
  let server: ServerHandle;

  beforeAll(async () => {
    dir = tmpDataDir();
    server = await startServer(dir.path);
  });

  afterAll(async () => {
    await server.proc.stop();
    killAllServiceProcesses();
    dir.cleanup();
  });

  test('opens a session, writes and reads a 512 KiB value, and makes relayed unary calls', () => {
    const session = loadCoordV1().coord.v1.Coordination.service.Session;
    const encode = (msg: coordV1.ClientMessage): string => session.requestSerialize(msg).toString('hex');
    const decode = (hex: string): coordV1.ServerMessage__Output => session.responseDeserialize(Buffer.from(hex, 'hex')) as coordV1.ServerMessage__Output;
    const health = loadHealthV1().grpc.health.v1.Health.service.Check;
    const exists = loadCoordV1().coord.v1.Coordination.service.Exists;
    const value = Buffer.alloc(512 * 1024);
    for (let i = 0; i < value.length; i++) value[i] = (i * 7) % 251;

    const result = runPython({
      target: `127.0.0.1:${server.port}`,
      unary: [
        { path: health.path, request: health.requestSerialize({ service: '' }).toString('hex') },
        { path: exists.path, request: exists.requestSerialize({ path: '/' }).toString('hex') },
        { path: '/coord.v1.Coordination/NoSuchMethod', request: '' },
      ],
      stream: {
        path: session.path,
        requests: [
          encode({ connect: { timeoutMs: 10_000 } }),
          encode({ request: { xid: 1, create: { path: '/py', data: value } } }),
          encode({ request: { xid: 2, getData: { path: '/py' } } }),
        ],
      },
    });

    expect(health.responseDeserialize(Buffer.from(result.unary[0].response ?? '', 'hex'))).toMatchObject({ status: 'SERVING' });
    expect(exists.responseDeserialize(Buffer.from(result.unary[1].response ?? '', 'hex'))).toMatchObject({ stat: expect.anything() });
    expect(result.unary[2]).toMatchObject({ code: 'UNIMPLEMENTED' });

    const [connected, created, read] = result.stream.map(decode);
    expect(Number(connected.connected?.sessionId)).toBeGreaterThan(0);
    expect(created.response).toMatchObject({ xid: 1, error: 'OK', create: { path: '/py' } });
    expect(read.response).toMatchObject({ xid: 2, error: 'OK' });
    expect(Buffer.from(read.response?.getData?.data ?? []).equals(value)).toBe(true);
    expect(result.stream_status).toBe('OK');
  });
});
