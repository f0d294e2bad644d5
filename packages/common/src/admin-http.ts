import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger';

// The operator's side door: Prometheus scrapes /metrics, Kubernetes probes /healthz (liveness:
// answered whenever the event loop turns) and /readyz (readiness: the service's own verdict),
// humans read /status.

export interface AdminServerOptions {
  host: string;
  /** 0 picks a free port; the bound port is returned. */
  port: number;
  registry: Registry;
  status: () => unknown;
  ready?: () => boolean;
  logger?: Logger;
}

export interface AdminServerHandle {
  port: number;
  close(): Promise<void>;
}

/** A probe or scrape that has not sent its request by then is cut off. */
const REQUEST_TIMEOUT_MS = 10_000;

type Reply = { code: number; type: string; body: string };

export async function startAdminServer(opts: AdminServerOptions): Promise<AdminServerHandle> {
  const server = http.createServer((req, res) => {
    answer(opts, req)
      .catch((err: unknown): Reply => {
        opts.logger?.warn('admin request failed', { path: req.url, err });
        return text(500, 'internal error\n');
      })
      .then((reply) => {
        res.writeHead(reply.code, { 'content-type': reply.type, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : reply.body);
      });
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cannot listen for admin HTTP on ${opts.host}:${opts.port}: ${err.message}`, { cause: err })));
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  opts.logger?.info('admin http started', { host: opts.host, port });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive scrapers would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}

async function answer(opts: AdminServerOptions, req: http.IncomingMessage): Promise<Reply> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed\n');
  const path = (req.url ?? '/').split('?')[0];
  switch (path) {
    case '/metrics':
      return { code: 200, type: opts.registry.contentType, body: await opts.registry.metrics() };
    case '/healthz':
      return text(200, 'ok\n');
    case '/readyz':
      return (opts.ready?.() ?? true) ? text(200, 'ready\n') : text(503, 'not ready\n');
    case '/status':
      return { code: 200, type: 'application/json', body: `${JSON.stringify(opts.status(), jsonSafe)}\n` };
    default:
      return text(404, 'not found\n');
  }
}

function text(code: number, body: string): Reply {
  return { code, type: 'text/plain; charset=utf-8', body };
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  return value;
}
