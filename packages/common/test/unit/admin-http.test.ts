import * as http from 'node:http';
import { createRegistry, startAdminServer, type AdminServerHandle } from '@ensemble/common';

interface Answer {
  status: number;
  type: string;
  body: string;
}

function request(port: number, path: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startAdminServer', () => {
  let admin: AdminServerHandle;
  let ready = false;
  const registry = createRegistry('coord', { node: 'n1' });
  registry.counter({ name: 'requests', help: 'requests served' }).inc(5);

  beforeAll(async () => {
    admin = await startAdminServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      status: () => ({ role: 'leader', zxid: 12n, sessions: new Set(['a']) }),
      ready: () => ready,
    });
  });
  afterAll(() => admin.close());

  it('listens on the real port when asked for port 0', () => {
    expect(admin.port).toBeGreaterThan(0);
  });

  it('serves Prometheus text on /metrics', async () => {
    const res = await request(admin.port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/plain');
    expect(res.body).toContain('coord_requests_total{node="n1"} 5');
  });

  it('answers /healthz while alive', async () => {
    expect(await request(admin.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
  });

  it('answers /readyz from the ready callback', async () => {
    ready = false;
    expect((await request(admin.port, '/readyz')).status).toBe(503);
    ready = true;
    expect(await request(admin.port, '/readyz')).toMatchObject({ status: 200, body: 'ready\n' });
  });

  it('serves the status as JSON', async () => {
    const res = await request(admin.port, '/status?verbose=1');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(JSON.parse(res.body)).toEqual({ role: 'leader', zxid: '12', sessions: ['a'] });
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    expect((await request(admin.port, '/nope')).status).toBe(404);
    expect((await request(admin.port, '/metrics', 'POST')).status).toBe(405);
  });

  it('answers 500 when the status callback throws, and keeps serving', async () => {
    const broken = await startAdminServer({ host: '127.0.0.1', port: 0, registry, status: () => { throw new Error('no leader'); } });
    try {
      expect((await request(broken.port, '/status')).status).toBe(500);
      expect((await request(broken.port, '/healthz')).status).toBe(200);
    } finally {
      await broken.close();
    }
  });

  it('frees the port on close', async () => {
    const other = await startAdminServer({ host: '127.0.0.1', port: 0, registry, status: () => ({}) });
    await request(other.port, '/healthz');
    await other.close();
    await expect(request(other.port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
  });
});
