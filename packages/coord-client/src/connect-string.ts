// Parsing of ZooKeeper-style connect strings: "host:port,host:port". Pure.

export interface ServerAddress {
  host: string;
  port: number;
}

export const DEFAULT_CLIENT_PORT = 2181;
/** More servers than any ensemble has; a longer list is almost certainly a mistake. */
export const MAX_SERVERS = 64;

export type ConnectStringParse = { ok: true; servers: ServerAddress[] } | { ok: false; reason: string };

/**
 * Parses "host[:port][,host[:port]...]". IPv6 hosts go in brackets ("[::1]:2181"). A port left out
 * is 2181. Duplicates are dropped. A chroot suffix ("/app") is not supported and is rejected.
 */
export function parseConnectString(input: string): ConnectStringParse {
  const text = input.trim();
  if (text.length === 0) return { ok: false, reason: 'connect string is empty' };
  if (text.includes('/')) return { ok: false, reason: 'chroot suffixes are not supported' };
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > MAX_SERVERS) return { ok: false, reason: `more than ${MAX_SERVERS} servers` };
  const servers: ServerAddress[] = [];
  for (const part of parts) {
    const parsed = parseHostPort(part);
    if (!parsed.ok) return parsed;
    if (!servers.some((s) => s.host === parsed.server.host && s.port === parsed.server.port)) servers.push(parsed.server);
  }
  return { ok: true, servers };
}

function parseHostPort(part: string): { ok: true; server: ServerAddress } | { ok: false; reason: string } {
  if (part.length === 0) return { ok: false, reason: 'empty server address' };
  let host: string;
  let portText: string | undefined;
  if (part.startsWith('[')) {
    const close = part.indexOf(']');
    if (close < 0) return { ok: false, reason: `unclosed '[' in ${part}` };
    host = part.slice(1, close);
    const rest = part.slice(close + 1);
    if (rest.length > 0 && !rest.startsWith(':')) return { ok: false, reason: `bad address ${part}` };
    portText = rest.length > 0 ? rest.slice(1) : undefined;
  } else {
    const colon = part.lastIndexOf(':');
    if (colon >= 0 && part.indexOf(':') !== colon) return { ok: false, reason: `IPv6 hosts need brackets: ${part}` };
    host = colon >= 0 ? part.slice(0, colon) : part;
    portText = colon >= 0 ? part.slice(colon + 1) : undefined;
  }
  if (host.length === 0) return { ok: false, reason: `missing host in ${part}` };
  const port = portText === undefined ? DEFAULT_CLIENT_PORT : Number(portText);
  if (!/^\d+$/.test(portText ?? '1') || !Number.isInteger(port) || port < 1 || port > 65535) {
    return { ok: false, reason: `bad port in ${part}` };
  }
  return { ok: true, server: { host, port } };
}

/** "host:port" as gRPC wants it (IPv6 in brackets). */
export function formatAddress(server: ServerAddress): string {
  return server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/** Fisher–Yates shuffle with an injected random source in [0, 1); returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
