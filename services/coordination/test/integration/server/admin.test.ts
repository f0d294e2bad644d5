// Operations surface of a real server: gRPC health, admin HTTP (/status, /metrics, /healthz),
// and a clean exit on SIGTERM.
import * as grpc from '@grpc/grpc-js';
import { killAllServiceProcesses, type TmpDir } from '@ensemble/common';
import { loadHealthV1 } from '@ensemble/proto';
import { call, startServer, tmpDataDir, unaryClient, type ServerHandle } from '../../support/coord-harness';

let dir: TmpDir;
let server: ServerHandle;

beforeAll(async () => {
  dir = tmpDataDir();
  server = await startServer(dir.path);
});

afterAll(() => {
  killAllServiceProcesses();
  dir.cleanup();
});

test('the gRPC health service answers SERVING for the server and coord.v1.Coordination', async () => {
  const Health = loadHealthV1().grpc.health.v1.Health;
  const health = new Health(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  for (const service of ['', 'coord.v1.Coordination']) {
    const r = await new Promise<{ status: string }>((resolve, reject) => health.Check({ service }, (e, res) => (e ? reject(e) : resolve(res as { status: string }))));
    expect(r.status).toBe('SERVING');
  }
  health.close();
});

test('/status reports role, zxid and counts; /metrics exports Prometheus text; /healthz is ok', async () => {
  const c = unaryClient(server.port);
  await call(c, 'Create', { path: '/metrics-probe' });
  c.close();
  const base = `http://127.0.0.1:${server.adminPort}`;
  const status = (await (await fetch(`${base}/status`)).json()) as Record<string, number | string>;
  expect(status.role).toBe('standalone');
  expect(Number(status.lastZxid)).toBeGreaterThan(0);
  expect(Number(status.znodes)).toBeGreaterThanOrEqual(2);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toMatch(/^coord_znodes\{[^}]*\} [1-9]/m);
  expect(metrics).toMatch(/coord_fsync_duration_seconds_count\{[^}]*\} [1-9]/);
  expect(metrics).toMatch(/coord_requests_total/);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(`${base}/readyz`)).status).toBe(200);
});

test('SIGTERM stops the server cleanly with exit code 0', async () => {
  const exit = await server.proc.stop('SIGTERM');
  expect(exit.code).toBe(0);
});

test('a log write slower than --fsync-warn is logged as a warning with its duration (0 ms: every one)', async () => {
  const warnDir = tmpDataDir();
  const s = await startServer(warnDir.path, ['--fsync-warn', '0ms']);
  try {
    const c = unaryClient(s.port);
    await call(c, 'Create', { path: '/slow-fsync-probe' });
    c.close();
    const warning = s.proc.lines.find((l) => l.msg === 'slow fsync of the log');
    expect(warning).toMatchObject({ level: 'warn', warnMs: 0, records: expect.any(Number) });
  } finally {
    await s.proc.kill9();
    warnDir.cleanup();
  }
});

test('--loop-fsync-max decides which thread fdatasyncs the log, and /metrics counts each', async () => {
  const fsyncsOn = async (loopFsyncMax: string): Promise<{ loop: number; pool: number }> => {
    const d = tmpDataDir();
    const s = await startServer(d.path, ['--loop-fsync-max', loopFsyncMax]);
    try {
      const c = unaryClient(s.port);
      // One at a time with pauses between: an idle log, which is what may go on the loop.
      for (let i = 0; i < 8; i++) {
        await call(c, 'Create', { path: `/fsync-thread-${i}` });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      c.close();
      const text = await (await fetch(`http://127.0.0.1:${s.adminPort}/metrics`)).text();
      const count = (thread: string): number => Number(new RegExp(`^coord_fsyncs_total\\{[^}]*thread="${thread}"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1]);
      return { loop: count('loop'), pool: count('pool') };
    } finally {
      await s.proc.kill9();
      d.cleanup();
    }
  };
  const never = await fsyncsOn('0');
  expect(never.loop).toBe(0);
  expect(never.pool).toBeGreaterThanOrEqual(8);
  // Any disk is fast against a minute: after the first fdatasync has measured it, idle writes go on the loop.
  const always = await fsyncsOn('1m');
  expect(always.loop).toBeGreaterThanOrEqual(4);
});
