// The benchmark's driver for Apache ZooKeeper, through node-zookeeper-client (a root dev
// dependency, loaded only when a ZooKeeper is named with --zk).
import { EventEmitter } from 'node:events';
import type { BenchClient, Driver } from './coord-bench';
import { serverFor } from './placement';
import { removeTree } from './remove-tree';

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
  // The library keeps one emitter per watched path with a listener per watch: the fan-out
  // workload's hundreds of watchers on one node would print a leak warning for each.
  EventEmitter.defaultMaxListeners = 0;
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
    connect: (slot) =>
      new Promise((resolve, reject) => {
        const z = zookeeper.createClient(serverFor(connectString, slot), { sessionTimeout: 30_000, retries: 0 });
        const timer = setTimeout(() => reject(new Error(`could not connect to ZooKeeper at ${connectString}`)), 10_000);
        z.once('connected', () => {
          clearTimeout(timer);
          resolve(wrap(z));
        });
        z.connect();
      }),
    async cleanup(client, root) {
      const z = (client as ReturnType<typeof wrap>).raw;
      await removeTree(
        root,
        (p) => new Promise<string[]>((res, rej) => z.getChildren(p, cb(res, rej))),
        (p) => new Promise<void>((res, rej) => z.remove(p, -1, cb(res, rej))),
      );
    },
  };
}
