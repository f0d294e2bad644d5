// The static membership of an ensemble (DESIGN.md §1 "Membership"): the `--servers` list
// `id@host:peerPort:clientPort,...` and this server's id, including `auto` for Kubernetes
// StatefulSets (pod `coord-2` is server 3). Pure: the hostname is passed in.

export interface EnsembleMember {
  id: number;
  host: string;
  peerPort: number;
  clientPort: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Raft's own ceiling on voters, and ZooKeeper's practical one: more than 15 is a mistake. */
export const ENSEMBLE_MEMBERS_MAX = 15;
export const SERVER_ID_MAX = 255;

/**
 * Parses `1@10.0.0.1:2888:2181,2@10.0.0.2:2888:2181,...`. Hosts may be names or IPv4; an IPv6
 * host goes in brackets (`1@[::1]:2888:2181`). Ids are unique, 1..255; (host, peerPort) pairs too.
 */
export function parseServers(text: string): Parsed<EnsembleMember[]> {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) return { ok: false, reason: 'the server list is empty' };
  if (parts.length > ENSEMBLE_MEMBERS_MAX) return { ok: false, reason: `more than ${ENSEMBLE_MEMBERS_MAX} servers` };
  const members: EnsembleMember[] = [];
  for (const part of parts) {
    const m = parseMember(part);
    if (!m.ok) return m;
    if (members.some((x) => x.id === m.value.id)) return { ok: false, reason: `server id ${m.value.id} appears twice` };
    if (members.some((x) => x.host === m.value.host && x.peerPort === m.value.peerPort && x.peerPort !== 0)) {
      return { ok: false, reason: `peer address ${m.value.host}:${m.value.peerPort} appears twice` };
    }
    members.push(m.value);
  }
  return { ok: true, value: members.sort((a, b) => a.id - b.id) };
}

function parseMember(part: string): Parsed<EnsembleMember> {
  const at = part.indexOf('@');
  if (at <= 0) return { ok: false, reason: `expected id@host:peerPort:clientPort, got ${JSON.stringify(part)}` };
  const id = parseId(part.slice(0, at));
  if (!id.ok) return id;
  let rest = part.slice(at + 1);
  let host: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return { ok: false, reason: `unclosed '[' in ${JSON.stringify(part)}` };
    host = rest.slice(1, close);
    rest = rest.slice(close + 1);
    if (!rest.startsWith(':')) return { ok: false, reason: `expected :peerPort:clientPort after the host in ${JSON.stringify(part)}` };
    rest = rest.slice(1);
  } else {
    const colon = rest.indexOf(':');
    if (colon <= 0) return { ok: false, reason: `missing host or ports in ${JSON.stringify(part)}` };
    host = rest.slice(0, colon);
    rest = rest.slice(colon + 1);
  }
  const ports = rest.split(':');
  if (ports.length !== 2) return { ok: false, reason: `expected two ports (peer, client) in ${JSON.stringify(part)}` };
  const peerPort = parsePort(ports[0], part, false);
  if (!peerPort.ok) return peerPort;
  const clientPort = parsePort(ports[1], part, true);
  if (!clientPort.ok) return clientPort;
  if (host.length === 0) return { ok: false, reason: `empty host in ${JSON.stringify(part)}` };
  return { ok: true, value: { id: id.value, host, peerPort: peerPort.value, clientPort: clientPort.value } };
}

function parseId(text: string): Parsed<number> {
  if (!/^\d+$/.test(text)) return { ok: false, reason: `server id must be a number, got ${JSON.stringify(text)}` };
  const id = Number(text);
  if (id < 1 || id > SERVER_ID_MAX) return { ok: false, reason: `server id must be within 1..${SERVER_ID_MAX}, got ${id}` };
  return { ok: true, value: id };
}

/** Peer ports must be real (every server dials them); a client port may be 0 (any free port). */
function parsePort(text: string, part: string, zeroAllowed: boolean): Parsed<number> {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535 || (port === 0 && !zeroAllowed)) {
    return { ok: false, reason: `bad port ${JSON.stringify(text)} in ${JSON.stringify(part)}` };
  }
  return { ok: true, value: port };
}

/**
 * `--server-id`: a number, or `auto` — the trailing ordinal of the hostname plus one, as a
 * Kubernetes StatefulSet names its pods (`coord-0` is server 1).
 */
export function resolveServerId(text: string, hostname: string): Parsed<number> {
  if (text.trim().toLowerCase() !== 'auto') return parseId(text.trim());
  const match = /-(\d+)$/.exec(hostname.split('.')[0]);
  if (!match) return { ok: false, reason: `--server-id auto needs a hostname ending in -<ordinal>, got ${JSON.stringify(hostname)}` };
  return parseId(String(Number(match[1]) + 1));
}

/** What every member puts in its frames; a peer with another member list is refused. */
export function ensembleFingerprint(members: readonly EnsembleMember[]): string {
  return members.map((m) => m.id).sort((a, b) => a - b).join(',');
}
