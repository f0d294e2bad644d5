// Durability against a real server process: restart restores the exact tree and the zxid
// sequence continues; kill -9 under write load loses no acknowledged write; a torn log tail is
// truncated on start, never applied; snapshots bound recovery.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { killAllServiceProcesses, type TmpDir } from '@ensemble/common';
import { CoordClient } from '@ensemble/coord-client';
import { RawSession, call, startServer, tmpDataDir, unaryClient, type ServerHandle } from '../../support/coord-harness';

const dirs: TmpDir[] = [];
afterAll(() => {
  killAllServiceProcesses();
  for (const d of dirs) d.cleanup();
});

function newDir(): string {
  const d = tmpDataDir();
  dirs.push(d);
  return d.path;
}

interface Dump {
  [path: string]: { data: string; version: number; cversion: number; czxid: number; mzxid: number; pzxid: number; numChildren: number };
}

/** Reads the whole tree under `root` over the unary API. */
async function dump(server: ServerHandle, root = '/'): Promise<Dump> {
  const client = unaryClient(server.port);
  const out: Dump = {};
  const walk = async (p: string): Promise<void> => {
    const d = await call<{ data: Buffer; stat: Dump[string] }>(client, 'GetData', { path: p });
    out[p] = { data: d.data.toString('hex'), version: d.stat.version, cversion: d.stat.cversion, czxid: d.stat.czxid, mzxid: d.stat.mzxid, pzxid: d.stat.pzxid, numChildren: d.stat.numChildren };
    const c = await call<{ children: string[] }>(client, 'GetChildren', { path: p });
    for (const name of c.children) await walk(p === '/' ? `/${name}` : `${p}/${name}`);
  };
  await walk(root);
  client.close();
  return out;
}

async function lastZxid(server: ServerHandle): Promise<number> {
  const s = await fetch(`http://127.0.0.1:${server.adminPort}/status`).then((r) => r.json() as Promise<{ lastZxid: number }>);
  return s.lastZxid;
}

test('a restart restores exactly the same tree and the zxid sequence keeps increasing', async () => {
  const dataDir = newDir();
  const s1 = await startServer(dataDir);
  const c = unaryClient(s1.port);
  await call(c, 'Create', { path: '/r', data: Buffer.from('root') });
  for (let i = 0; i < 20; i++) await call(c, 'Create', { path: '/r/n-', mode: 'PERSISTENT_SEQUENTIAL', data: Buffer.from([i]) });
  await call(c, 'SetData', { path: '/r', data: Buffer.from('changed') });
  await call(c, 'Delete', { path: '/r/n-0000000003' });
  c.close();
  const before = await dump(s1);
  const zxidBefore = await lastZxid(s1);
  await s1.proc.stop();

  const s2 = await startServer(dataDir);
  expect(await dump(s2)).toEqual(before);
  const c2 = unaryClient(s2.port);
  const created = await call<{ stat: { czxid: number } }>(c2, 'Create', { path: '/after' });
  expect(created.stat.czxid).toBeGreaterThan(zxidBefore);
  // the sequence counter continues from the parent's cversion
  const seq = await call<{ path: string }>(c2, 'Create', { path: '/r/n-', mode: 'PERSISTENT_SEQUENTIAL' });
  expect(seq.path).toBe('/r/n-0000000021');
  c2.close();
  await s2.proc.stop();
});

test('kill -9 during a write load loses no acknowledged write', async () => {
  const dataDir = newDir();
  const s1 = await startServer(dataDir);
  const c = unaryClient(s1.port);
  await call(c, 'Create', { path: '/load' });
  const sessions = await Promise.all([0, 1, 2, 3].map(() => RawSession.open(c)));
  const acked = new Map<string, string>(); // path -> data acknowledged
  let stop = false;
  const writers = sessions.map(async (s, w) => {
    let i = 0;
    while (!stop && i < 5000) {
      const batch = Array.from({ length: 16 }, () => i++);
      const xids = batch.map((n) => s.request({ create: { path: `/load/w${w}-${n}`, data: Buffer.from(`v${n}`) } }));
      for (let k = 0; k < xids.length; k++) {
        try {
          const r = await s.response(xids[k], 5000);
          if (r.error === 'OK') acked.set(`/load/w${w}-${batch[k]}`, `v${batch[k]}`);
        } catch {
          return; // the server died: answers still missing were never acknowledged
        }
      }
    }
  });
  // Let the load run, then kill the server abruptly while requests are in flight.
  const startedMs = Date.now();
  while (acked.size < 400 && Date.now() - startedMs < 15_000) await new Promise((r) => setTimeout(r, 20));
  await s1.proc.kill9();
  stop = true;
  await Promise.all(writers);
  c.close();
  expect(acked.size).toBeGreaterThanOrEqual(400);

  const s2 = await startServer(dataDir);
  const tree = await dump(s2, '/load');
  for (const [p, data] of acked) {
    expect(tree[p]?.data).toBe(Buffer.from(data).toString('hex'));
  }
  await s2.proc.stop();
});

test('a torn or corrupt log tail is truncated on start, never applied', async () => {
  const dataDir = newDir();
  const s1 = await startServer(dataDir);
  const c = unaryClient(s1.port);
  for (let i = 0; i < 30; i++) await call(c, 'Create', { path: `/t${i}`, data: Buffer.from(`d${i}`) });
  c.close();
  const before = await dump(s1);
  await s1.proc.kill9();

  // A crash mid-write leaves part of a record behind: append a torn record to the newest segment.
  const logDir = path.join(dataDir, 'log');
  const segments = fs.readdirSync(logDir).filter((f) => f.startsWith('log.')).sort();
  const last = path.join(logDir, segments[segments.length - 1]);
  fs.appendFileSync(last, Buffer.from([0x12, 0x34, 0x56, 0x78, 0xff, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03]));

  const s2 = await startServer(dataDir);
  const warn = s2.proc.lines.find((l) => l.msg === 'truncated torn log tail');
  expect(warn).toBeDefined();
  expect(await dump(s2)).toEqual(before);
  // and it keeps accepting writes after the truncation point
  const c2 = unaryClient(s2.port);
  await call(c2, 'Create', { path: '/after-torn' });
  c2.close();
  await s2.proc.stop();
  const s3 = await startServer(dataDir);
  const after = await dump(s3);
  expect(after['/after-torn']).toBeDefined();
  expect(s3.proc.lines.find((l) => l.msg === 'truncated torn log tail')).toBeUndefined();
  await s3.proc.stop();
});

test('snapshots are taken and retained, and recovery starts from the newest one', async () => {
  const dataDir = newDir();
  const s1 = await startServer(dataDir, ['--snapshot-every', '100', '--snapshot-retain', '2']);
  const c = unaryClient(s1.port);
  await call(c, 'Create', { path: '/s' });
  for (let i = 0; i < 350; i++) await call(c, 'SetData', { path: '/s', data: Buffer.from(String(i)) });
  c.close();
  const before = await dump(s1);
  await s1.proc.waitForLine((l) => l.msg === 'snapshot taken', 10_000);
  await s1.proc.stop();
  const snaps = fs.readdirSync(path.join(dataDir, 'snapshots')).filter((f) => f.startsWith('snapshot.'));
  expect(snaps.length).toBeGreaterThanOrEqual(1);
  expect(snaps.length).toBeLessThanOrEqual(2);

  const s2 = await startServer(dataDir);
  const recovered = s2.proc.lines.find((l) => l.msg === 'recovered')!;
  expect(Number(recovered.snapshotZxid)).toBeGreaterThan(0);
  expect(Number(recovered.replayed)).toBeLessThan(351);
  expect(await dump(s2)).toEqual(before);
  await s2.proc.stop();
});

test('a snapshot written while writes go on holds the state it began with: recovery from it after kill -9 loses nothing', async () => {
  const dataDir = newDir();
  const args = ['--snapshot-every', '1000', '--snapshot-retain', '2'];
  const s1 = await startServer(dataDir, args);
  const client = await CoordClient.connect(`127.0.0.1:${s1.port}`, { sessionTimeoutMs: 10_000 });
  await client.create('/big');
  // Thousands of nodes, so each snapshot takes several turns; writes pipelined, so they land between them.
  for (let batch = 0; batch < 10; batch++) {
    await Promise.all(Array.from({ length: 600 }, (_, i) => client.create(`/big/n${batch * 600 + i}`, 'v0')));
  }
  for (let round = 1; round <= 6; round++) {
    await Promise.all(Array.from({ length: 600 }, (_, i) => {
      const path = `/big/n${(round * 997 + i * 7) % 6000}`;
      if (i % 10 === 0) return client.delete(path).catch(() => undefined); // may be gone already
      return client.setData(path, `v${round}`).catch(() => client.create(path, `v${round}`));
    }));
  }
  const snapshots = s1.proc.lines.filter((l) => l.msg === 'snapshot taken');
  expect(snapshots.length).toBeGreaterThanOrEqual(3);
  expect(snapshots.some((l) => Number(l.appliedMeanwhile) > 0)).toBe(true); // writes did land while one was written
  const read = async (c: CoordClient): Promise<Map<string, string>> => {
    const names = await c.getAllChildren('/big');
    const values = await Promise.all(names.map(async (name) => (await c.getData(`/big/${name}`)).data.toString()));
    return new Map(names.map((name, i) => [name, values[i]]));
  };
  const before = await read(client);
  await s1.proc.kill9();

  const s2 = await startServer(dataDir, args);
  const recovered = s2.proc.lines.find((l) => l.msg === 'recovered')!;
  expect(Number(recovered.snapshotZxid)).toBeGreaterThan(0);
  const c2 = await CoordClient.connect(`127.0.0.1:${s2.port}`, { sessionTimeoutMs: 10_000 });
  expect(await read(c2)).toEqual(before);
  expect(before.size).toBeGreaterThan(5000);
  await c2.close();
  await s2.proc.stop();
}, 60_000);
