// The fault-injection endpoint, for tests only: started only with --enable-fault-injection, on
// its own port (the admin port stays read-only). `POST /faults {"dropTo":[2],"dropFrom":[2]}`
// sets the rules of this server's peer transport (fault-filter.ts); `GET /faults` shows them;
// `POST /faults {}` heals. `GET /digest` hashes this server's whole data tree, so a test can
// check that the replicas hold exactly the same state.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'winston';
import { parseFaultRules, type FaultFilter } from './fault-filter';

const BODY_BYTES_MAX = 64 * 1024;

export interface FaultAdminHandle {
  port: number;
  close(): Promise<void>;
}

export async function startFaultAdmin(opts: {
  host: string;
  port: number;
  filter: FaultFilter;
  selfId: number;
  memberIds: readonly number[];
  logger: Logger;
  /** The tree's last zxid and content digest (DataTree.digest). */
  digest: () => { lastZxid: number; digest: string };
}): Promise<FaultAdminHandle> {
  const server = http.createServer((req, res) => {
    const reply = (code: number, body: unknown): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    const path = (req.url ?? '').split('?')[0];
    if (path === '/digest' && req.method === 'GET') return reply(200, opts.digest());
    if (path !== '/faults') return reply(404, { error: 'not found' });
    if (req.method === 'GET') return reply(200, opts.filter.rules());
    if (req.method !== 'POST') return reply(405, { error: 'method not allowed' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_BYTES_MAX) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > BODY_BYTES_MAX) return reply(413, { error: 'body too large' });
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return reply(400, { error: 'body is not JSON' });
      }
      const parsed = parseFaultRules(body, opts.selfId, opts.memberIds);
      if (!parsed.ok) return reply(400, { error: parsed.reason });
      opts.filter.set(parsed.rules);
      opts.logger.warn('peer faults injected', { ...parsed.rules });
      reply(200, opts.filter.rules());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
