// Where the bench's sessions go: connection i on server i mod n, so a point's load is spread
// evenly over the servers whichever system is measured (both clients would pick at random).

/** The connect string for a connection: one server of the list, or the whole list without a slot. */
export function serverFor(servers: string, slot?: number): string {
  if (slot === undefined) return servers;
  const list = servers.split(',');
  return list[slot % list.length];
}
