// The benchmark's driver for Apache ZooKeeper, through node-zookeeper-client (a root dev
// dependency, loaded only when a ZooKeeper is named with --zk).
import type { BenchClient, Driver } from './coord-bench';

interface ZkClient {
  connect(): void;
  close(): void;
  once(event: 'connected' | 'disconnected', cb: () => void): void;
  create(path: string, data: Buffer, mode: number, cb: (err: Error | null, path?: string) => void): void;
  setData(path: string, data: Buffer, version: number, cb: (err: Error | null) => void): void;
  getData(path: string, watcher: ((event: unknown) => void) | null, cb: (err: Error | null, data?: Buffer) => void): void;
  getChildren(path: string, cb: (err: Error | null, children?: string[]) => void): void;
  remove(path: string, version: number, cb: (err: Error | null) => void): void;
}
interface ZkModule {
  createClient(connect: string, opts: { sessionTimeout: number; spinDelay?: number; retries?: number }): ZkClient;
}

const cb =
  <T>(resolve: (v: T) => void, reject: (e: Error) => void) =>
  (err: Error | null, v?: T): void =>
    err ? reject(err) : resolve(v as T);

export function zkDriver(connectString: string): Driver {
  const zookeeper = require('node-zookeeper-client') as ZkModule;
  const wrap = (z: ZkClient): BenchClient & { raw: ZkClient } => ({
    raw: z,
    create: (p, d) => new Promise((res, rej) => z.create(p, d, 0, cb(res, rej))),
    setData: (p, d) => new Promise((res, rej) => z.setData(p, d, -1, cb(res, rej))),
    getData: (p) => new Promise((res, rej) => z.getData(p, null, cb(res, rej))),
    watchData: (p, fired) => new Promise((res, rej) => z.getData(p, () => fired(), cb(res, rej))),
    close: async () => z.close(),
  });
  return {
    name: 'zookeeper',
    connect: () =>
      new Promise((resolve, reject) => {
        const z = zookeeper.createClient(connectString, { sessionTimeout: 30_000, retries: 0 });
        const timer = setTimeout(() => reject(new Error(`could not connect to ZooKeeper at ${connectString}`)), 10_000);
        z.once('connected', () => {
          clearTimeout(timer);
          resolve(wrap(z));
        });
        z.connect();
      }),
    async cleanup(client, root) {
      const z = (client as ReturnType<typeof wrap>).raw;
      const rm = async (p: string): Promise<void> => {
        const children = await new Promise<string[]>((res) => z.getChildren(p, (e, c) => res(e ? [] : (c ?? []))));
        for (const c of children) await rm(`${p}/${c}`);
        await new Promise<void>((res) => z.remove(p, -1, () => res()));
      };
      await rm(root);
    },
  };
}
