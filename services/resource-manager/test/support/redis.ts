// A throwaway redis-server for tests: a free port on 127.0.0.1, no persistence.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { waitFor } from '@ensemble/common';

export const REDIS_SERVER = '/usr/bin/redis-server';

export function haveRedis(): boolean {
  const found = fs.existsSync(REDIS_SERVER);
  if (!found) console.warn(`skipping the Redis tests: ${REDIS_SERVER} is not installed (apt-get install redis-server)`);
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisHandle {
  url: string;
  stop(): void;
}

export async function startRedis(): Promise<RedisHandle> {
  const port = await freePort();
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  try {
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => {
            socket.destroy();
            resolve(true);
          });
          socket.once('error', () => resolve(false));
        }),
      { timeoutMs: 10_000, what: 'redis-server to listen' },
    );
  } catch (err) {
    stop();
    throw err;
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}
